using NodaTime;

namespace DataAccessAudit.Recording;

/// <summary>
/// A sink that can record, in its own store, that the recording queue dropped accesses (full queue in
/// drop mode), so that every report of that store shows the loss.
/// </summary>
/// <remarks>
/// The recording pipeline calls it from its one background writer, in order with the batches, on every registered
/// <see cref="IAccessEventSink"/> that also implements this interface. A store whose sink does not implement it
/// cannot show the loss, so every durable store should.
/// </remarks>
public interface IGapRecordingSink
{
    /// <summary>Writes a gap record, in order with the batches.</summary>
    /// <param name="dropped">How many accesses were dropped since the last gap record.</param>
    /// <param name="since">When the first of them was dropped.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is written.</returns>
    ValueTask WriteGapAsync(long dropped, Instant since, CancellationToken cancellationToken);
}
