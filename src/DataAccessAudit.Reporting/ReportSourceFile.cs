using System.Security.Cryptography;

namespace DataAccessAudit.Reporting;

/// <summary>One input file of a report: its name as given, its size and the SHA-256 of its bytes.</summary>
/// <remarks>
/// The hash lets anyone holding the file check that it is the one the report counted (<c>sha256sum FILE</c>), without
/// trusting whoever produced the report. The report's readers describe each input by the very bytes they counted
/// (<see cref="Sources.JsonLinesReportReader.Read"/>), hashed as they are read.
/// </remarks>
public sealed class ReportSourceFile
{
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
}
