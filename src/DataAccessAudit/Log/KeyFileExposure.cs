using System.Globalization;

namespace DataAccessAudit.Log;

// Tells whether a key file can be read or written by others than its owner. Whoever reads a chain key can rewrite the
// log and its chain so that it verifies, and whoever reads a signing key can sign checkpoints of a rewritten log: the
// library creates its keys for the owner only (0600), as ssh does, and warns about a key that others can reach. It
// warns rather than refuses, since some deployments hand keys over deliberately through a group (a secret mounted
// into a container is 0644 unless its mode is set).
internal static class KeyFileExposure
{
    private const UnixFileMode Others =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>What whoever reads a chain key can do.</summary>
    public const string ChainKey = "rewrite the log so that it still verifies";

    /// <summary>What whoever reads a log's checkpoint signing key can do.</summary>
    public const string SigningKey = "sign checkpoints of a rewritten log";

    /// <summary>What whoever reads a witness's cosigner key can do.</summary>
    public const string CosignerKey = "cosign checkpoints in the witness's name";

    /// <summary>
    /// The file's permissions as an octal mode, such as <c>0644</c>, when its group or other users can reach it; null
    /// when only its owner can, for a pipe, on Windows (whose access lists are not modes), and when it cannot be
    /// examined (reading it then reports the problem).
    /// </summary>
    public static string? ModeOpenToOthers(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            // Asked of the path, not of a descriptor: opening a FIFO again would wait for a writer that is gone. Links
            // are followed to the key. A key read from a pipe (a FIFO, a shell's <(...)) is not kept in it, so its mode
            // says nothing.
            if (FileKind.DescribeIfNotRegular(path) is not null)
            {
                return null;
            }

            var permissions = File.GetUnixFileMode(path);
            return (permissions & Others) == 0 ? null : "0" + Convert.ToString((int)permissions, 8).PadLeft(3, '0');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The warning for a key file others can reach, or null: what it exposes, and the command that closes it.</summary>
    /// <param name="path">The key file.</param>
    /// <param name="exposes">What whoever reads the key can do: <see cref="ChainKey"/>, <see cref="SigningKey"/> or <see cref="CosignerKey"/>.</param>
    public static string? Warning(string path, string exposes) => ModeOpenToOthers(path) is { } mode
        ? string.Create(CultureInfo.InvariantCulture, $"the key file '{path}' can be read or written by others than its owner (mode {mode}): whoever reads it can {exposes}. Make it the owner's alone: chmod 600 '{path}'.")
        : null;
}
