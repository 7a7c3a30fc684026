namespace DataAccessAudit.Log;

/// <summary>
/// Reads the chain keys a verifier needs, by id, from a key file: one key a line, <c>id:base64</c>; blank lines
/// and lines starting with <c>#</c> are ignored. <see cref="FileLogKeyRing"/> also makes and writes key files.
/// </summary>
/// <remarks>The same file format is read by <c>docs/verify_log.py</c>.</remarks>
public static class FileLogKeys
{
    /// <summary>Reads a key file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The keys by id.</returns>
    /// <exception cref="FormatException">A line is not <c>id:base64</c> with a valid id and a key of at least 32 bytes, an
    /// id repeats, or the file holds no key; the message names the line.</exception>
    /// <exception cref="IOException">The file cannot be read, or the path is a directory.</exception>
    public static IReadOnlyDictionary<string, byte[]> ReadKeyFile(string path) => FileLogKeyRing.Read(path).Keys;

    /// <summary>Parses the text of a key file.</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">How errors name the input.</param>
    /// <returns>The keys by id.</returns>
    /// <exception cref="FormatException">A line is not <c>id:base64</c> with a valid id and a key of at least 32 bytes, an
    /// id repeats, or the text holds no key; the message names the line.</exception>
    public static IReadOnlyDictionary<string, byte[]> Parse(string text, string source = "key file") => FileLogKeyRing.Parse(text, source).Keys;

    internal static bool IsValidKeyId(string id) => FileLogKeyRing.IsValidKeyId(id);

    internal static byte[]? TryDecodeKey(string base64) => FileLogKeyRing.TryDecodeKey(base64);
}
