using System.ComponentModel.DataAnnotations;
using DataAccessAudit.DependencyInjection;

namespace DataAccessAudit.Log;

/// <summary>
/// Options of the file log: the durable, tamper-evident store of recorded accesses (a directory of hash-chained
/// JSON Lines segments; see <c>docs/log-format.md</c>).
/// </summary>
/// <remarks>Validated when the host starts: an invalid value fails start-up with a message naming it.</remarks>
public sealed class FileLogOptions
{
    /// <summary>The smallest <see cref="MaxSegmentSize"/>: 4 KiB.</summary>
    public const long MinSegmentSize = 4 * 1024;

    /// <summary>The smallest length of <see cref="Key"/> once decoded: 32 bytes, the SHA-256 block's half.</summary>
    public const int MinKeyLength = 32;

    /// <summary>
    /// Gets or sets the directory of the log. Created (readable by the owner only on Unix) when missing. Required. A
    /// relative path is taken from the host's content root (<c>IHostEnvironment.ContentRootPath</c>) when the options
    /// come through dependency injection in a host, as the app's settings name files beside the app; otherwise from
    /// the current directory.
    /// </summary>
    [Required]
    public string Directory { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the size after which a segment is closed and a new one started. Default 64 MiB; at least
    /// <see cref="MinSegmentSize"/>. A segment may exceed it by one batch, because batches are never split.
    /// </summary>
    [ExpectedRange(MinSegmentSize, long.MaxValue)]
    public long MaxSegmentSize { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Gets or sets the age (by the injected clock) after which a segment is closed and a new one started.
    /// Default one day; from one second to 366 days.
    /// </summary>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets or sets how long closed segments are kept. Null (the default) keeps them for ever. When set, a
    /// segment closed longer ago than this is removed when a segment is started or the log is opened, and the
    /// removal is written into the log as a record. In a log with signed checkpoints the segment is deleted only once
    /// a checkpoint covers that record, so that the log verifies with the checkpoint's public key throughout. From
    /// one minute to 100 years.
    /// </summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>
    /// Gets or sets the id of the chain key, written into each segment's header so that a verifier picks the
    /// right key after keys rotate. Required with <see cref="Key"/>; letters, digits, <c>-</c>, <c>_</c> and
    /// <c>.</c>, at most 64 characters.
    /// </summary>
    public string? KeyId { get; set; }

    /// <summary>
    /// Gets or sets the chain key, base64, at least <see cref="MinKeyLength"/> bytes once decoded. With a key
    /// the chain is HMAC-SHA256, so someone who can edit the files cannot recompute it; without one it is
    /// plain SHA-256, which detects accidents and edits by anyone who does not also recompute the chain. The
    /// key is never written to the log; keep it in a secret store. Changing the key (or its id) starts a new
    /// segment named after the new key id; keep old keys for verification. Once a log is keyed, keep it keyed: a
    /// verifier given keys reports an unkeyed segment as forged.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// Gets or sets the path of a key file (<c>id:base64</c> a line, oldest first, as <c>access-report keygen
    /// --key-file</c> and <see cref="FileLogKeyRing.Write"/> make it), read when the log opens: its newest key
    /// chains new segments, as if it were given in <see cref="KeyId"/> and <see cref="Key"/>. Keeps the key out of
    /// configuration files; the same file is what <c>access-report verify --key-file</c> needs. Not together with
    /// <see cref="Key"/> or <see cref="KeyId"/>. Relative paths are resolved as for <see cref="Directory"/>.
    /// </summary>
    public string? KeyFile { get; set; }
}
