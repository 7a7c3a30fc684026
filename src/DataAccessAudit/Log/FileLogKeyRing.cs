using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DataAccessAudit.Log;

/// <summary>
/// The chain keys of a file log, by id, in the order they were made: what a key file holds (one key a line,
/// <c>id:base64</c>; blank lines and lines starting with <c>#</c> are ignored). The newest key is the one a writer
/// chains with; a verifier needs them all, since keys rotate at segment boundaries.
/// </summary>
/// <remarks>
/// Keys are made by <see cref="RandomNumberGenerator"/> and a key file is written readable by its owner only (mode
/// <c>0600</c> on Unix), through a temporary file renamed over it, so a failed write never leaves half a key file. The
/// same file format is read by <c>docs/verify_log.py</c>.
/// </remarks>
public sealed class FileLogKeyRing
{
    /// <summary>The length of a generated key: 32 bytes.</summary>
    public const int GeneratedKeyLength = FileLogOptions.MinKeyLength;

    private const string Header = "# access-log chain keys, id:base64, oldest first; the last one chains new segments. Keep this file secret.\n";

    private readonly List<KeyValuePair<string, byte[]>> _keys;

    // The text of the key file this ring was read from, written back as it was (with its comments and layout) before
    // the keys added since; a ring made here starts with the header.
    private readonly string _text;

    // How many of the keys _text already holds.
    private readonly int _keysInText;

    private FileLogKeyRing(List<KeyValuePair<string, byte[]>> keys, string text, int keysInText)
    {
        _keys = keys;
        _text = text;
        _keysInText = keysInText;
        Keys = keys.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
    }

    /// <summary>Gets the keys by id, for <see cref="FileLogVerifier"/> and <see cref="FileLogReader"/>.</summary>
    public IReadOnlyDictionary<string, byte[]> Keys { get; }

    /// <summary>Gets the id of the newest key: the one a writer chains new segments with.</summary>
    public string CurrentKeyId => _keys[^1].Key;

    /// <summary>Creates a key ring holding one new random key.</summary>
    /// <param name="keyId">The key's id: 1 to 64 letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</param>
    /// <returns>The key ring.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a valid key id.</exception>
    public static FileLogKeyRing Generate(string keyId)
    {
        CheckKeyId(keyId);
        return new FileLogKeyRing([new(keyId, RandomNumberGenerator.GetBytes(GeneratedKeyLength))], Header, 0);
    }

    /// <summary>Reads a key file.</summary>
    /// <param name="path">The key file.</param>
    /// <returns>The key ring, at least one key.</returns>
    /// <exception cref="FormatException">A line is not <c>id:base64</c> with a valid id and a key of at least 32 bytes, an
    /// id repeats, or the file holds no key at all; the message names the file (and line).</exception>
    /// <exception cref="IOException">The file cannot be read, or the path is a directory (the message says so).</exception>
    public static FileLogKeyRing Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' is a directory; expected a key file (one 'id:base64' key a line).");
        }

        return Parse(SmallFile.ReadAllText(path), path);
    }

    /// <summary>Parses the text of a key file.</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">How errors name the input.</param>
    /// <returns>The key ring, at least one key.</returns>
    /// <exception cref="FormatException">A line is not <c>id:base64</c> with a valid id and a key of at least 32 bytes, an
    /// id repeats, or the text holds no key at all; the message names the line.</exception>
    public static FileLogKeyRing Parse(string text, string source = "key file")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var keys = new List<KeyValuePair<string, byte[]>>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
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

            if (!ids.Add(id))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{source}:{lineNumber}: key id '{id}' appears twice."));
            }

            keys.Add(new(id, key));
        }

        return keys.Count > 0
            ? new FileLogKeyRing(keys, text, keys.Count)
            : throw new FormatException($"{source}: holds no key; expected at least one line 'id:base64-key' (make one with 'access-report keygen --key-file FILE --id ID').");
    }

    /// <summary>Returns this key ring with a new random key added as the newest: a key rotation.</summary>
    /// <param name="keyId">The new key's id, not yet in the ring.</param>
    /// <returns>The larger key ring.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a valid key id, or is already in the ring.</exception>
    public FileLogKeyRing WithNewKey(string keyId)
    {
        CheckKeyId(keyId);
        if (Keys.ContainsKey(keyId))
        {
            throw new ArgumentException($"The key id '{keyId}' is already in the key ring; a new key needs a new id.", nameof(keyId));
        }

        return new FileLogKeyRing([.. _keys, new(keyId, RandomNumberGenerator.GetBytes(GeneratedKeyLength))], _text, _keysInText);
    }

    /// <summary>Sets a writer's <see cref="FileLogOptions.KeyId"/> and <see cref="FileLogOptions.Key"/> to the newest key.</summary>
    /// <param name="options">The writer's options.</param>
    public void ApplyTo(FileLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.KeyId = CurrentKeyId;
        options.Key = Convert.ToBase64String(_keys[^1].Value);
    }

    /// <summary>
    /// Writes the key ring to a key file readable by its owner only (mode <c>0600</c> on Unix), replacing the file
    /// whole: written to a temporary file in the same directory, flushed to disk, then renamed over it. A ring read
    /// from a key file is written as that file's text (its comments included) followed by the keys added since, so a
    /// rotation only appends a line; a symbolic link is followed, so the file it points to gets the new key.
    /// </summary>
    /// <param name="path">The key file; its directory is created when missing.</param>
    /// <exception cref="IOException">The file cannot be written; an existing key file is then left as it was.</exception>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = new StringBuilder(_text);
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }

        foreach (var (id, key) in _keys.Skip(_keysInText))
        {
            text.Append(id).Append(':').Append(Convert.ToBase64String(key)).Append('\n');
        }

        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text.ToString()), ownerOnly: true);
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

    private static void CheckKeyId(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (!IsValidKeyId(keyId))
        {
            throw new ArgumentException($"'{keyId}' is not a key id: expected 1 to 64 letters, digits, '-', '_' or '.'.", nameof(keyId));
        }
    }
}
