using System.Buffers;

namespace DataAccessAudit.Reporting.Aggregation;

// Writes entries to a run through one staging buffer, so that the file sees large writes rather than one per field.
internal sealed class NeedingActionRunWriter : IDisposable
{
    private const int StagingLength = 1 << 20;

    private readonly NeedingActionRun _run;
    private byte[] _staging = ArrayPool<byte>.Shared.Rent(StagingLength);
    private int _length;

    public NeedingActionRunWriter(NeedingActionRun run) => _run = run;

    // Writes an entry: the id, and the line when source is -1 (otherwise line is empty and the entry points into
    // an input file; lineLength is the line's length either way).
    public void Write(ActionSeverity severity, long unixTicks, byte subTick, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int lineLength, int decision, int source, long position)
    {
        var total = NeedingActionRun.HeaderLength + id.Length + line.Length;
        if (_length + total > _staging.Length)
        {
            Flush();
        }

        NeedingActionRun.WriteHeader(_staging.AsSpan(_length), severity, unixTicks, subTick, id.Length, lineLength, decision, source, position);
        _length += NeedingActionRun.HeaderLength;
        if (total > _staging.Length)
        {
            // An entry larger than the buffer (a line of megabytes) goes to the file as it is.
            Flush();
            _run.Append(id);
            _run.Append(line);
            return;
        }

        id.CopyTo(_staging.AsSpan(_length));
        _length += id.Length;
        line.CopyTo(_staging.AsSpan(_length));
        _length += line.Length;
    }

    public void Flush()
    {
        _run.Append(_staging.AsSpan(0, _length));
        _length = 0;
    }

    public void Dispose()
    {
        if (_staging.Length > 0)
        {
            Flush();
            ArrayPool<byte>.Shared.Return(_staging);
            _staging = [];
        }
    }
}
