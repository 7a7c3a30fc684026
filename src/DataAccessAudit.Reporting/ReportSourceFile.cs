using System.Buffers;
using System.Security.Cryptography;

namespace DataAccessAudit.Reporting;

/// <summary>One input file of a report: its name as given, its size and the SHA-256 of its bytes.</summary>
/// <remarks>
/// The hash lets anyone holding the file check that it is the one the report counted (<c>sha256sum FILE</c>), without
/// trusting whoever produced the report.
/// </remarks>
public sealed class ReportSourceFile
{
    private const int ReadLength = 1 << 20;

    /// <summary>Creates the description of an input file.</summary>
    /// <param name="name">The file's name as the report's user gave it (a path, or <c>stdin</c>).</param>
    /// <param name="size">Its size in bytes.</param>
    /// <param name="sha256">The SHA-256 of its bytes: 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 32 bytes long.</exception>
    public ReportSourceFile(string name, long size, ReadOnlySpan<byte> sha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (sha256.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA-256 is {SHA256.HashSizeInBytes} bytes long, not {sha256.Length}.", nameof(sha256));
        }

        Name = name;
        Size = size;
        Sha256 = Convert.ToHexString(sha256).ToLowerInvariant();
    }

    /// <summary>Gets the file's name as the report's user gave it.</summary>
    public string Name { get; }

    /// <summary>Gets the file's size in bytes.</summary>
    public long Size { get; }

    /// <summary>Gets the SHA-256 of the file's bytes, as 64 lower-case hexadecimal digits (as <c>sha256sum</c> prints it).</summary>
    public string Sha256 { get; }

    /// <summary>Reads a file once and describes it.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Its description, named by <paramref name="path"/> as given.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static ReportSourceFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);

        // Read in large blocks: SHA256.HashData(Stream) reads 4 KiB at a time, a system call for every 4 KiB of an
        // input that may be gigabytes, and the report waits for the hash before it starts counting.
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadLength);
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, ReadLength)) > 0)
            {
                sha256.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        sha256.GetHashAndReset(hash);
        return new ReportSourceFile(path, stream.Length, hash);
    }
}
