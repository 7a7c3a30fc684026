using System.Text;
using DataAccessAudit.Log;

namespace DataAccessAudit.Transparency;

/// <summary>
/// Keeps a copy of the latest signed checkpoint in a file outside the log directory: on another volume, a mount of
/// another machine, or a folder a backup or sync tool ships elsewhere, so that a copy exists that whoever can edit
/// the log cannot quietly change with it. The file is replaced whole (written beside it, flushed, renamed), so a
/// reader or a witness never sees half a checkpoint; it is what <c>access-report verify --since</c> and
/// <c>access-report witness --checkpoint</c> take.
/// </summary>
/// <remarks>Register it as an <see cref="ICheckpointSink"/> beside <c>AddFileLogCheckpoints</c>.</remarks>
public sealed class FileCheckpointSink : ICheckpointSink
{
    private readonly string _path;

    /// <summary>Initializes a sink that writes each checkpoint to <paramref name="path"/>.</summary>
    /// <param name="path">The file; its directory is created when missing.</param>
    public FileCheckpointSink(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
    }

    /// <inheritdoc/>
    public ValueTask PublishAsync(SignedNote checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        cancellationToken.ThrowIfCancellationRequested();
        AtomicFile.Write(_path, Encoding.UTF8.GetBytes(checkpoint.ToString()), ownerOnly: false);
        return ValueTask.CompletedTask;
    }
}
