using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace DataAccessAudit.Reporting.Aggregation;

// One sorted run of accesses needing action in a temporary file. Each entry is a header (severity, 1 byte; Unix ticks,
// 8; id length, 4; line length, 4; packed decision, 4; source, 4; position, 8; nanoseconds past the tick, 1;
// little-endian) followed by the id's bytes and, when source is -1, the line's; otherwise the line stays in the input
// file Sources[source] at position. The file is written and read by position (RandomAccess), so any number of readers
// can merge it at once, and is created with DeleteOnClose: Dispose, or the process ending, removes it.
internal sealed class NeedingActionRun : IDisposable
{
    public const int HeaderLength = 34;

    private readonly SafeFileHandle _file;

    private NeedingActionRun(SafeFileHandle file, string[] sources)
    {
        _file = file;
        Sources = sources;
    }

    // The input files whose lines the entries point into, by the index an entry gives.
    public string[] Sources { get; }

    // The bytes written so far: readers stop there.
    public long Length { get; private set; }

    public static NeedingActionRun Create(string[] sources)
    {
        var path = Path.Combine(Path.GetTempPath(), $"access-report-needing-action-{Guid.NewGuid():N}.run");
        return new NeedingActionRun(File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose), sources);
    }

    public static void WriteHeader(Span<byte> destination, ActionSeverity severity, long unixTicks, byte subTick, int idLength, int lineLength, int decision, int source, long position)
    {
        destination[33] = subTick;
        destination[0] = (byte)severity;
        BinaryPrimitives.WriteInt64LittleEndian(destination[1..], unixTicks);
        BinaryPrimitives.WriteInt32LittleEndian(destination[9..], idLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[13..], lineLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[17..], decision);
        BinaryPrimitives.WriteInt32LittleEndian(destination[21..], source);
        BinaryPrimitives.WriteInt64LittleEndian(destination[25..], position);
    }

    public static (ActionSeverity Severity, long UnixTicks, byte SubTick, int IdLength, int LineLength, int Decision, int Source, long Position) ReadHeader(ReadOnlySpan<byte> source) =>
        ((ActionSeverity)source[0],
         BinaryPrimitives.ReadInt64LittleEndian(source[1..]),
         source[33],
         BinaryPrimitives.ReadInt32LittleEndian(source[9..]),
         BinaryPrimitives.ReadInt32LittleEndian(source[13..]),
         BinaryPrimitives.ReadInt32LittleEndian(source[17..]),
         BinaryPrimitives.ReadInt32LittleEndian(source[21..]),
         BinaryPrimitives.ReadInt64LittleEndian(source[25..]));

    public void Append(ReadOnlySpan<byte> bytes)
    {
        RandomAccess.Write(_file, bytes, Length);
        Length += bytes.Length;
    }

    // Reads from an offset; fewer bytes than asked only at the end of what was written.
    public int Read(Span<byte> destination, long offset)
    {
        var wanted = (int)Math.Min(destination.Length, Length - offset);
        var read = 0;
        while (read < wanted)
        {
            var n = RandomAccess.Read(_file, destination[read..wanted], offset + read);
            if (n == 0)
            {
                throw new IOException("A temporary file of the accesses needing action is shorter than what was written to it.");
            }

            read += n;
        }

        return read;
    }

    public void Dispose() => _file.Dispose();
}
