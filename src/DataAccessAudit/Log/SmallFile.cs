using System.Globalization;
using System.Text;

namespace DataAccessAudit.Log;

// Reads the files that are small by nature, and are named by users and configuration: chain key files, signing and
// verifier keys, policies, checkpoints, proofs, a witness's state, a PostgreSQL store's heads. None comes near
// MaxBytes (a key is a line, a policy a few KiB, a proof at most 64 hashes), so a larger input is the wrong file; and
// a path naming a device (/dev/zero, /dev/urandom) has no end, so reading it whole ran until memory was exhausted. A
// pipe (a FIFO, a shell's <(...)) is read to its end as a file is.
internal static class SmallFile
{
    // The most bytes such a file may hold: 1 MiB.
    public const int MaxBytes = 1024 * 1024;

    // The file's bytes, or an IOException naming the file and MaxBytes when it holds more.
    public static byte[] ReadAllBytes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var bytes = new byte[stream.CanSeek ? (int)Math.Min(stream.Length + 1, MaxBytes + 1L) : 4096];
        var length = 0;
        while (true)
        {
            if (length == bytes.Length)
            {
                if (length > MaxBytes)
                {
                    throw new IOException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"'{path}' holds more than {MaxBytes:N0} bytes (1 MiB), the most a key, policy, checkpoint or proof file may hold."));
                }

                Array.Resize(ref bytes, Math.Min(bytes.Length * 2, MaxBytes + 1));
            }

            var read = stream.Read(bytes, length, bytes.Length - length);
            if (read == 0)
            {
                return bytes.AsSpan(0, length).ToArray();
            }

            length += read;
        }
    }

    // The file's text, decoded as File.ReadAllText decodes it (UTF-8 unless a byte order mark says otherwise).
    public static string ReadAllText(string path)
    {
        using var reader = new StreamReader(new MemoryStream(ReadAllBytes(path)), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
