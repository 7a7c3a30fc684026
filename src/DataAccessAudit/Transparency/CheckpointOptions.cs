namespace DataAccessAudit.Transparency;

/// <summary>
/// Options of the file log's signed checkpoints: the key that signs them and how often (see
/// <c>AddFileLogCheckpoints</c> and docs/log-format.md, "The tree and checkpoints").
/// </summary>
/// <remarks>Validated when the host starts.</remarks>
public sealed class CheckpointOptions
{
    /// <summary>
    /// Gets or sets the path of the log's private signing key, as written by <see cref="NoteSigningKey.Save"/> or
    /// <c>access-report keygen</c>. Its name is the checkpoints' origin. Keep it outside the log directory. Required. A
    /// relative path is taken from the host's content root when the options come through dependency injection in a host.
    /// The host does not start unless the file holds a log's signing key; it is read again when it changes, so
    /// replacing it rotates the key.
    /// </summary>
    public string KeyFile { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets how often a checkpoint of the records written so far is signed. Default one second; from 10
    /// milliseconds to one day. A last checkpoint is signed when the host stops.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets a number of records after which a checkpoint is signed without waiting for <see cref="Interval"/>,
    /// so that a busy log's unsigned tail stays short. Null (the default) signs by time only; from 1 to
    /// 1,000,000,000. The writer only reports each batch's last sequence number; the signing happens beside it.
    /// </summary>
    public long? RecordInterval { get; set; }
}
