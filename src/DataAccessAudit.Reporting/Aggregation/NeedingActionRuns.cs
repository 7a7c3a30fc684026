using System.Buffers;
using System.Text;
using System.Text.Json;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// Collects the accesses needing action without holding them all. Each is kept as its access-event/1 line with the
// decision the report used (the fast scanner's line as read, with the decision it evaluated when the line does not
// hold that one, or the full parser's event written out), beside its sort key, so the fast path never builds
// objects for it. The bytes go into one arena and the keys into one array of structs, both reused, so an access
// costs two copies and no allocation. When the arena or the array is full, the
// keys are sorted and the entries written in that order to a temporary file as one run. Reading merges the runs, so
// the whole list comes out sorted while one buffer per run sits in memory; a line is parsed only when it is read
// (the first rows for the page, all of them for needing-action.csv). Runs are merged into one when there are
// maxRuns of them, which keeps the open files and the merge's buffers bounded however long the input. Not
// thread-safe; each partial builder has its own, merged at the end on one thread.
internal sealed class NeedingActionRuns
{
    public const int SeverityCount = 4;
    public const int DefaultRunLength = 1 << 16;
    private const int InitialArenaLength = 1 << 16;
    private const int ArenaLimit = 16 << 20;
    private const int DefaultMaxRuns = 256;

    private readonly string _policyId;
    private readonly int _runLength;
    private readonly int _maxRuns;
    private readonly long[] _counts = new long[SeverityCount];
    private readonly List<NeedingActionRun> _runs = [];
    private byte[] _arena = [];
    private int _arenaLength;
    private NeedingActionEntry[] _entries = [];
    private int _entryCount;
    private bool _sorted = true;
    private bool _deleted;

    // The full parser's events are written out here, one at a time, before they are copied to the arena.
    private ArrayBufferWriter<byte>? _formatted;
    private Utf8JsonWriter? _formatter;

    // policyId: the policy whose evaluated decisions the collector is given (NeedingActionDecision).
    public NeedingActionRuns(string policyId, int runLength = DefaultRunLength, int maxRuns = DefaultMaxRuns)
    {
        _policyId = policyId;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRuns, 2);
        _runLength = runLength;
        _maxRuns = maxRuns;
    }

    // Adds an access the full parser read, with the decision the report used.
    public void Add(AccessRecord record)
    {
        var formatted = _formatted ??= new ArrayBufferWriter<byte>(1024);
        formatted.ResetWrittenCount();
        var formatter = _formatter ??= new Utf8JsonWriter(formatted);
        formatter.Reset(formatted);
        AccessEventJson.Write(formatter, record);
        formatter.Flush();

        var id = record.Event.Id;
        var idLength = Encoding.UTF8.GetByteCount(id);
        var line = formatted.WrittenSpan;
        var offset = Reserve(idLength + line.Length);
        Encoding.UTF8.GetBytes(id, _arena.AsSpan(offset, idLength));
        line.CopyTo(_arena.AsSpan(offset + idLength));
        var severity = NeedingActionOrder.SeverityOf(record.Decision!.Value);
        _counts[(int)severity]++;
        Commit(severity, record.Event.Time.ToUnixTimeTicks(), offset, idLength, line.Length, NeedingActionDecision.InLine);
    }

    // Adds an access the fast scanner read, with the decision the report used: the line's own (InLine) or the one
    // the report evaluated, packed by NeedingActionDecision.
    public void Add(ActionSeverity severity, long unixTicks, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int decision)
    {
        _counts[(int)severity]++;
        Buffer(severity, unixTicks, id, line, decision);
    }

    // Takes over the other collector's entries and runs; the other must not be used afterwards.
    public void Merge(NeedingActionRuns other)
    {
        ObjectDisposedException.ThrowIf(_deleted, this);
        for (var i = 0; i < SeverityCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        _runs.AddRange(other._runs);
        other._runs.Clear();
        for (var i = 0; i < other._entryCount; i++)
        {
            ref var entry = ref other._entries[i];
            var bytes = other._arena.AsSpan(entry.Offset, entry.IdLength + entry.LineLength);
            Buffer(entry.Severity, entry.UnixTicks, bytes[..entry.IdLength], bytes[entry.IdLength..], entry.Decision);
        }

        other.Delete();
        if (_runs.Count >= _maxRuns)
        {
            MergeRuns();
        }
    }

    // The list for the report: the first rows in memory, and this collector (which the list now owns) for the rest.
    public AccessesNeedingAction Build(int firstRows)
    {
        var first = ReadAll().Take(firstRows).ToList();
        var counts = (long[])_counts.Clone();
        return _runs.Count == 0 && first.Count == _entryCount
            ? new AccessesNeedingAction(null, first, counts)
            : new AccessesNeedingAction(this, first, counts);
    }

    public IEnumerable<AccessRecord> ReadAll()
    {
        ObjectDisposedException.ThrowIf(_deleted, this);
        return ReadSorted();
    }

    public void Delete()
    {
        _deleted = true;
        foreach (var run in _runs)
        {
            run.Dispose();
        }

        _runs.Clear();
        _arena = [];
        _entries = [];
        _arenaLength = 0;
        _entryCount = 0;
    }

    private IEnumerable<AccessRecord> ReadSorted()
    {
        if (_runs.Count == 0)
        {
            SortBuffer();
            for (var i = 0; i < _entryCount; i++)
            {
                yield return NeedingActionDecision.Apply(AccessEventJson.Parse(LineOf(in _entries[i])), _entries[i].Decision, _policyId);
            }

            yield break;
        }

        // Everything to a run first, so that a single merge reads it all.
        if (_entryCount > 0)
        {
            WriteRun();
        }

        foreach (var head in MergeSorted(_runs))
        {
            yield return NeedingActionDecision.Apply(AccessEventJson.Parse(head.Line), head.Decision, _policyId);
        }
    }

    private void Buffer(ActionSeverity severity, long unixTicks, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int decision)
    {
        var offset = Reserve(id.Length + line.Length);
        id.CopyTo(_arena.AsSpan(offset));
        line.CopyTo(_arena.AsSpan(offset + id.Length));
        Commit(severity, unixTicks, offset, id.Length, line.Length, decision);
    }

    // Where the next entry's bytes go: the arena grows up to ArenaLimit (or to one entry larger than that), and a full
    // arena is written to a run first.
    private int Reserve(int length)
    {
        ObjectDisposedException.ThrowIf(_deleted, this);
        if (_arenaLength + length <= _arena.Length)
        {
            return _arenaLength;
        }

        if (_arena.Length < ArenaLimit || _entryCount == 0)
        {
            var grown = new byte[Math.Max(_arenaLength + length, Math.Clamp(2 * _arena.Length, InitialArenaLength, ArenaLimit))];
            _arena.AsSpan(0, _arenaLength).CopyTo(grown);
            _arena = grown;
            return _arenaLength;
        }

        WriteRun();
        if (length > _arena.Length)
        {
            _arena = new byte[length];
        }

        return 0;
    }

    private void Commit(ActionSeverity severity, long unixTicks, int offset, int idLength, int lineLength, int decision)
    {
        if (_entryCount == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Min(Math.Max(2 * _entries.Length, 64), _runLength));
        }

        _entries[_entryCount++] = new NeedingActionEntry
        {
            Severity = severity,
            UnixTicks = unixTicks,
            Offset = offset,
            IdLength = idLength,
            LineLength = lineLength,
            Decision = decision,
        };
        _arenaLength = offset + idLength + lineLength;
        _sorted = false;
        if (_entryCount >= _runLength)
        {
            WriteRun();
        }
    }

    private void SortBuffer()
    {
        if (_sorted)
        {
            return;
        }

        var arena = _arena;
        _entries.AsSpan(0, _entryCount).Sort((x, y) => NeedingActionOrder.Compare(
            x.Severity, x.UnixTicks, arena.AsSpan(x.Offset, x.IdLength), arena.AsSpan(x.Offset + x.IdLength, x.LineLength),
            y.Severity, y.UnixTicks, arena.AsSpan(y.Offset, y.IdLength), arena.AsSpan(y.Offset + y.IdLength, y.LineLength)));
        _sorted = true;
    }

    private ReadOnlySpan<byte> LineOf(in NeedingActionEntry entry) => _arena.AsSpan(entry.Offset + entry.IdLength, entry.LineLength);

    // Sorts the buffered entries and writes them as one run; the arena and the array are then empty, for reuse.
    private void WriteRun()
    {
        SortBuffer();
        var run = NeedingActionRun.Create();
        try
        {
            using (var writer = new NeedingActionRunWriter(run))
            {
                for (var i = 0; i < _entryCount; i++)
                {
                    ref var entry = ref _entries[i];
                    writer.Write(entry.Severity, entry.UnixTicks, _arena.AsSpan(entry.Offset, entry.IdLength), LineOf(in entry), entry.Decision);
                }
            }

            _runs.Add(run);
        }
        catch
        {
            run.Dispose();
            throw;
        }

        _entryCount = 0;
        _arenaLength = 0;
        _sorted = true;
        if (_runs.Count >= _maxRuns)
        {
            MergeRuns();
        }
    }

    // Merges every run into one, so that no more than maxRuns are ever open.
    private void MergeRuns()
    {
        var merged = NeedingActionRun.Create();
        try
        {
            using var writer = new NeedingActionRunWriter(merged);
            foreach (var head in MergeSorted(_runs))
            {
                writer.Write(head.Severity, head.UnixTicks, head.Id, head.Line, head.Decision);
            }
        }
        catch
        {
            merged.Dispose();
            throw;
        }

        foreach (var run in _runs)
        {
            run.Dispose();
        }

        _runs.Clear();
        _runs.Add(merged);
    }

    // A k-way merge of sorted runs: yields the reader whose entry comes next, to be read before the merge moves on.
    // Ties keep the runs' order, so the result is stable.
    private static IEnumerable<NeedingActionRunReader> MergeSorted(List<NeedingActionRun> runs)
    {
        var readers = new NeedingActionRunReader[runs.Count];
        try
        {
            for (var i = 0; i < readers.Length; i++)
            {
                readers[i] = new NeedingActionRunReader(runs[i]);
            }

            var heads = new PriorityQueue<int, int>(readers.Length, Comparer<int>.Create((a, b) =>
            {
                var x = readers[a];
                var y = readers[b];
                var order = NeedingActionOrder.Compare(x.Severity, x.UnixTicks, x.Id, x.Line, y.Severity, y.UnixTicks, y.Id, y.Line);
                return order != 0 ? order : a.CompareTo(b);
            }));
            for (var i = 0; i < readers.Length; i++)
            {
                if (readers[i].MoveNext())
                {
                    heads.Enqueue(i, i);
                }
            }

            while (heads.TryDequeue(out var next, out _))
            {
                yield return readers[next];
                if (readers[next].MoveNext())
                {
                    heads.Enqueue(next, next);
                }
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader?.Dispose();
            }
        }
    }
}
