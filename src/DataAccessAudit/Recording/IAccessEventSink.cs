using DataAccessAudit.Policy;

namespace DataAccessAudit.Recording;

/// <summary>
/// Where recorded accesses go: the file log, a database, an in-memory list in tests.
/// </summary>
/// <remarks>
/// The recording pipeline calls a sink from its one background writer, never from the app's thread and never
/// concurrently, with batches in the order the accesses were recorded.
/// </remarks>
public interface IAccessEventSink
{
    /// <summary>Writes a batch of records, in order.</summary>
    /// <param name="batch">The records; the memory is only valid until the returned task completes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the batch is written (to the sink's buffers, at least).</returns>
    ValueTask WriteAsync(ReadOnlyMemory<AccessRecord> batch, CancellationToken cancellationToken);

    /// <summary>Makes everything written so far durable.</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>A task that completes when the sink's writes are durable.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
