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

    public void Write(ActionSeverity severity, long unixTicks, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int decision)
    {
        var total = NeedingActionRun.HeaderLength + id.Length + line.Length;
        if (_length + total > _staging.Length)
        {
            Flush();
        }

        NeedingActionRun.WriteHeader(_staging.AsSpan(_length), severity, unixTicks, id.Length, line.Length, decision);
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
