using System.Globalization;

namespace DataAccessAudit.Log;

/// <summary>
/// Reads the chain keys a verifier needs, by id, from a key file: one key a line, <c>id:base64</c>; blank lines
/// and lines starting with <c>#</c> are ignored.
/// </summary>
/// <remarks>The same file format is read by <c>docs/verify_log.py</c>.</remarks>
public static class FileLogKeys
{
    /// <summary>Reads a key file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The keys by id.</returns>
    /// <exception cref="FormatException">A line is not <c>id:base64</c> with a valid id and a key of at least 32 bytes, or an id repeats; the message names the line.</exception>
    public static IReadOnlyDictionary<string, byte[]> ReadKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the text of a key file.</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">How errors name the input.</param>
    /// <returns>The keys by id.</returns>
    /// <exception cref="FormatException">A line is not <c>id:base64</c> with a valid id and a key of at least 32 bytes, or an id repeats; the message names the line.</exception>
    public static IReadOnlyDictionary<string, byte[]> Parse(string text, string source = "key file")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var id = colon < 0 ? line : line[..colon].Trim();
            if (colon < 0 || !IsValidKeyId(id))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{source}:{lineNumber}: expected 'id:base64-key' with an id of 1 to 64 letters, digits, '-', '_' or '.'."));
            }

            var key = TryDecodeKey(line[(colon + 1)..].Trim());
            if (key is null || key.Length < FileLogOptions.MinKeyLength)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{source}:{lineNumber}: the key of '{id}' is not base64 of at least {FileLogOptions.MinKeyLength} bytes."));
            }

            if (!keys.TryAdd(id, key))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{source}:{lineNumber}: key id '{id}' appears twice."));
            }
        }

        return keys;
    }

    internal static bool IsValidKeyId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    internal static byte[]? TryDecodeKey(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
