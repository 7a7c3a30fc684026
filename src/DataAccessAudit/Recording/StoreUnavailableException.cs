namespace DataAccessAudit.Recording;

/// <summary>
/// Thrown by a sink whose store is out of reach for a while (a database restarting, a network cut), as opposed to
/// failing: the writer retries the batch, and the app's recording calls go on queueing meanwhile, blocking or
/// dropping (with a gap record) by <see cref="RecordingOptions.FullMode"/> once the queue is full, instead of being
/// refused at once as when a sink fails.
/// </summary>
internal sealed class StoreUnavailableException : IOException
{
    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
