namespace DataAccessAudit.Transparency;

/// <summary>
/// Receives every checkpoint the writer signs, to keep a copy where the log's operator cannot quietly change it (a
/// file on another machine, a database, a witness). Every checkpoint is also logged (event id 4150, with the note as
/// the <c>Checkpoint</c> field), so an exported log (OpenTelemetry) already holds an off-box copy;
/// <see cref="FileCheckpointSink"/> keeps the latest one in a file elsewhere.
/// </summary>
public interface ICheckpointSink
{
    /// <summary>Publishes a signed checkpoint. Called on the checkpoint writer's thread; exceptions are logged, not retried.</summary>
    /// <param name="checkpoint">The signed checkpoint.</param>
    /// <param name="cancellationToken">Stops the publication.</param>
    /// <returns>A task that completes when published.</returns>
    ValueTask PublishAsync(SignedNote checkpoint, CancellationToken cancellationToken);
}
