namespace DataAccessAudit.Log;

/// <summary>
/// Verifies a file log: sequence numbers without gaps and the hash chain from the first remaining segment to the
/// last line, across segments and key rotations, in constant memory.
/// </summary>
/// <remarks>
/// What a chain cannot show: lines cut off at a line end at the very end of the log. Keep
/// <see cref="LogVerificationResult.LastSequence"/> and <see cref="LogVerificationResult.LastChain"/> somewhere
/// else to detect that later.
/// </remarks>
public static class FileLogVerifier
{
    /// <summary>Verifies the log in a directory.</summary>
    /// <param name="directory">The log directory.</param>
    /// <param name="keys">The chain keys by id, for a log written with a key (see <see cref="FileLogKeyRing"/>);
    /// null or empty for an unkeyed log. When keys are given, every segment must be keyed.</param>
    /// <param name="cancellationToken">Stops the verification.</param>
    /// <returns>Intact, or the first break with its place and kind.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="IOException">
    /// A segment cannot be read, or an entry named as a segment is not a regular file (a FIFO, a device or a directory);
    /// the message names it. Such a log cannot be read, which is not the same as broken.
    /// </exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be listed, or a segment read; the message names it.</exception>
    public static LogVerificationResult Verify(string directory, IReadOnlyDictionary<string, byte[]>? keys = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        using var scanner = new LogScanner(directory, keys);
        foreach (var line in scanner.Scan(stopAtBreak: true, cancellationToken))
        {
            _ = line;
        }

        return scanner.Result();
    }
}
