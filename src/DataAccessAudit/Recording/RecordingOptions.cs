using DataAccessAudit.DependencyInjection;

namespace DataAccessAudit.Recording;

/// <summary>
/// Options of the recording pipeline: the bounded queue between the app's threads and the one background writer
/// that serialises, chains and writes in batches.
/// </summary>
/// <remarks>Validated when the host starts: an invalid value fails start-up with a message naming it.</remarks>
public sealed class RecordingOptions
{
    /// <summary>
    /// Gets or sets how many accesses the queue holds. Default 65,536; from 1,024 to 16,777,216; rounded up to a
    /// power of two. Memory is allocated up front: 32 bytes per entry.
    /// </summary>
    [ExpectedRange(1024, 16 * 1024 * 1024)]
    public int Capacity { get; set; } = 64 * 1024;

    /// <summary>Gets or sets what recording does when the queue is full. Default <see cref="RecordingFullMode.Block"/>.</summary>
    [ExpectedEnum]
    public RecordingFullMode FullMode { get; set; } = RecordingFullMode.Block;

    /// <summary>Gets or sets when a recorded access is made durable. Default <see cref="RecordingDurability.Buffered"/>.</summary>
    [ExpectedEnum]
    public RecordingDurability Durability { get; set; } = RecordingDurability.Buffered;

    /// <summary>
    /// Gets or sets, in <see cref="RecordingDurability.Buffered"/> mode, how often written batches are made
    /// durable: the most a crash can lose. Also how long the writer waits before retrying after a write failed.
    /// Default one second; from one millisecond to one hour.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the most accesses written to the sinks in one batch. Default 4,096; from 1 to 65,536.</summary>
    [ExpectedRange(1, 64 * 1024)]
    public int MaxBatchSize { get; set; } = 4096;
}
