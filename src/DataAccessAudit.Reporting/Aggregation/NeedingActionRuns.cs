using System.Buffers;
using System.Text;
using System.Text.Json;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// Collects the accesses needing action without holding them all. Each is kept as its access-event/1 line with the
// decision the report used (the fast scanner's line as read, with the decision it evaluated when the line does not
// hold that one, or the full parser's event written out), beside its sort key, so the fast path never builds
// objects for it. A line of an input file that can be read again is not copied at all: the collector keeps where it
// lies (file and position) and reads it back from the file when it is listed, which for the page is only its first
// rows. The bytes go into one arena and the keys into one array of structs, both reused, so an access
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

    // The input files that buffered entries point into, by index.
    private readonly List<string> _sources = [];
    private byte[] _arena = [];
    private int _arenaLength;
    private NeedingActionEntry[] _entries = [];
    private int _entryCount;
    private bool _sorted = true;
    private bool _deleted;

    // Reused by SortBuffer: the entries' sort numbers, their order, and the entries in that order.
    private ulong[] _sortNumbers = [];
    private int[] _sortOrder = [];
    private NeedingActionEntry[] _sortedEntries = [];

    // Reads lines back from the input files, once a line there is needed.
    private NeedingActionInput? _input;

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
        var time = record.Event.Time;
        Commit(severity, time.ToUnixTimeTicks(), NeedingActionOrder.SubTickOf(time), offset, idLength, line.Length, NeedingActionDecision.InLine);
    }

    // Adds an access the fast scanner read, with the decision the report used: the line's own (InLine) or the one
    // the report evaluated, packed by NeedingActionDecision. subTick: the nanoseconds of its time past unixTicks.
    public void Add(ActionSeverity severity, long unixTicks, byte subTick, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int decision)
    {
        _counts[(int)severity]++;
        Buffer(severity, unixTicks, subTick, id, line, decision);
    }

    // The same for a line that lies at position in the input file source, which can be read again: only its place is
    // kept, and the line is read from there when it is listed.
    public void Add(ActionSeverity severity, long unixTicks, byte subTick, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int decision, string source, long position)
    {
        _counts[(int)severity]++;
        BufferPlace(severity, unixTicks, subTick, id, line.Length, decision, SourceIndex(source), position);
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
            if (entry.Source >= 0)
            {
                BufferPlace(entry.Severity, entry.UnixTicks, entry.SubTick, other._arena.AsSpan(entry.Offset, entry.IdLength), entry.LineLength, entry.Decision, SourceIndex(other._sources[entry.Source]), entry.Position);
                continue;
            }

            var bytes = other._arena.AsSpan(entry.Offset, entry.IdLength + entry.LineLength);
            Buffer(entry.Severity, entry.UnixTicks, entry.SubTick, bytes[..entry.IdLength], bytes[entry.IdLength..], entry.Decision);
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
        if (_runs.Count == 0 && first.Count == _entryCount)
        {
            _input?.Dispose();
            return new AccessesNeedingAction(null, first, counts);
        }

        return new AccessesNeedingAction(this, first, counts);
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
        _input?.Dispose();
        _arena = [];
        _entries = [];
        _sortNumbers = [];
        _sortOrder = [];
        _sortedEntries = [];
        _arenaLength = 0;
        _entryCount = 0;
    }

    // Calls visit with every line in order and the decision the report used for it (NeedingActionDecision), without
    // parsing it: for writers that take what they need from the bytes and parse only a line they cannot (RecordOf).
    // The line is valid only during the call.
    public void ReadAllLines(ReadOnlySpanAction<byte, int> visit)
    {
        ObjectDisposedException.ThrowIf(_deleted, this);
        foreach (var entry in SortedEntries())
        {
            visit(LineOf(entry), DecisionOf(entry));
        }
    }

    // The record a line with its decision stands for, as ReadAll gives it.
    public AccessRecord RecordOf(ReadOnlySpan<byte> line, int decision) =>
        NeedingActionDecision.Apply(AccessEventJson.Parse(line), decision, _policyId);

    private IEnumerable<AccessRecord> ReadSorted()
    {
        foreach (var entry in SortedEntries())
        {
            yield return RecordOf(LineOf(entry), DecisionOf(entry));
        }
    }

    // Every entry in order: the buffered ones sorted when nothing went to a run, else the merge of the runs.
    private IEnumerable<SortedEntry> SortedEntries()
    {
        if (_runs.Count == 0)
        {
            SortBuffer();
            for (var i = 0; i < _entryCount; i++)
            {
                yield return new SortedEntry(i, null);
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
            yield return new SortedEntry(-1, head);
        }
    }

    private ReadOnlySpan<byte> LineOf(SortedEntry entry) => entry.Head is { } head ? LineOf(head) : LineOf(in _entries[entry.Index]);

    private int DecisionOf(SortedEntry entry) => entry.Head?.Decision ?? _entries[entry.Index].Decision;

    private void Buffer(ActionSeverity severity, long unixTicks, byte subTick, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line, int decision)
    {
        var offset = Reserve(id.Length + line.Length);
        id.CopyTo(_arena.AsSpan(offset));
        line.CopyTo(_arena.AsSpan(offset + id.Length));
        Commit(severity, unixTicks, subTick, offset, id.Length, line.Length, decision);
    }

    private void BufferPlace(ActionSeverity severity, long unixTicks, byte subTick, ReadOnlySpan<byte> id, int lineLength, int decision, int source, long position)
    {
        var offset = Reserve(id.Length);
        id.CopyTo(_arena.AsSpan(offset));
        Commit(severity, unixTicks, subTick, offset, id.Length, lineLength, decision, source, position);
    }

    private int SourceIndex(string source)
    {
        for (var i = 0; i < _sources.Count; i++)
        {
            if (ReferenceEquals(_sources[i], source) || string.Equals(_sources[i], source, StringComparison.Ordinal))
            {
                return i;
            }
        }

        _sources.Add(source);
        return _sources.Count - 1;
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

    private void Commit(ActionSeverity severity, long unixTicks, byte subTick, int offset, int idLength, int lineLength, int decision, int source = -1, long position = 0)
    {
        if (_entryCount == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Min(Math.Max(2 * _entries.Length, 64), _runLength));
        }

        _entries[_entryCount++] = new NeedingActionEntry
        {
            Severity = severity,
            UnixTicks = unixTicks,
            SubTick = subTick,
            Offset = offset,
            IdLength = idLength,
            LineLength = lineLength,
            Decision = decision,
            Source = source,
            Position = position,
        };
        _arenaLength = offset + idLength + (source < 0 ? lineLength : 0);
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

        if (!TrySortByNumbers())
        {
            _entries.AsSpan(0, _entryCount).Sort(CompareEntries);
        }

        _sorted = true;
    }

    // Severity and time decide almost every comparison. Packed into one number each (the severity in the top two
    // bits, then the time counted down from the newest buffered), the entries sort as numbers, with no comparer call
    // per comparison and without moving the entries themselves; only entries of one number (one severity, one tick)
    // are then compared by id and line. False when the buffered times span too long for the number (more than
    // 14,000 years), and the caller sorts with the comparer. Entries of one tick are rare, so the nanoseconds past it
    // are left to that comparison rather than made to widen the number.
    private bool TrySortByNumbers()
    {
        var count = _entryCount;
        long newest = long.MinValue, oldest = long.MaxValue;
        for (var i = 0; i < count; i++)
        {
            newest = Math.Max(newest, _entries[i].UnixTicks);
            oldest = Math.Min(oldest, _entries[i].UnixTicks);
        }

        if (count < 2 || unchecked((ulong)newest - (ulong)oldest) >= 1UL << 62)
        {
            return false;
        }

        if (_sortNumbers.Length < count)
        {
            _sortNumbers = new ulong[_entries.Length];
            _sortOrder = new int[_entries.Length];
            _sortedEntries = new NeedingActionEntry[_entries.Length];
        }

        var numbers = _sortNumbers.AsSpan(0, count);
        var order = _sortOrder.AsSpan(0, count);
        for (var i = 0; i < count; i++)
        {
            numbers[i] = ((ulong)_entries[i].Severity << 62) | unchecked((ulong)newest - (ulong)_entries[i].UnixTicks);
            order[i] = i;
        }

        numbers.Sort(order);
        for (var start = 0; start < count;)
        {
            var end = start + 1;
            while (end < count && numbers[end] == numbers[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                order[start..end].Sort((x, y) => CompareEntries(_entries[x], _entries[y]));
            }

            start = end;
        }

        for (var i = 0; i < count; i++)
        {
            _sortedEntries[i] = _entries[order[i]];
        }

        (_entries, _sortedEntries) = (_sortedEntries, _entries);
        return true;
    }

    private int CompareEntries(NeedingActionEntry x, NeedingActionEntry y)
    {
        var byKey = NeedingActionOrder.CompareKeys(
            x.Severity, x.UnixTicks, x.SubTick, _arena.AsSpan(x.Offset, x.IdLength), y.Severity, y.UnixTicks, y.SubTick, _arena.AsSpan(y.Offset, y.IdLength));
        return byKey != 0 ? byKey : CompareLines(in x, in y);
    }

    // Two buffered entries of the same key and id, by their lines: the first is copied when it must be read from its
    // file, since the second read may reuse the window it lies in.
    private int CompareLines(in NeedingActionEntry x, in NeedingActionEntry y)
    {
        if (x.Source < 0)
        {
            return LineOf(in x).SequenceCompareTo(LineOf(in y));
        }

        var copy = ArrayPool<byte>.Shared.Rent(x.LineLength);
        try
        {
            LineOf(in x).CopyTo(copy);
            return copy.AsSpan(0, x.LineLength).SequenceCompareTo(LineOf(in y));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private NeedingActionInput Input => _input ??= new NeedingActionInput();

    // A buffered entry's line: from the arena, or read back from its input file (valid until the next read).
    private ReadOnlySpan<byte> LineOf(in NeedingActionEntry entry) => entry.Source < 0
        ? _arena.AsSpan(entry.Offset + entry.IdLength, entry.LineLength)
        : Input.Read(_sources[entry.Source], entry.Position, entry.LineLength, _arena.AsSpan(entry.Offset, entry.IdLength));

    // A run entry's line, the same way.
    private ReadOnlySpan<byte> LineOf(NeedingActionRunReader head) => head.Source < 0
        ? head.Line
        : Input.Read(head.Run.Sources[head.Source], head.Position, head.LineLength, head.Id);

    // Sorts the buffered entries and writes them as one run; the arena and the array are then empty, for reuse.
    private void WriteRun()
    {
        SortBuffer();
        var run = NeedingActionRun.Create([.. _sources]);
        try
        {
            using (var writer = new NeedingActionRunWriter(run))
            {
                for (var i = 0; i < _entryCount; i++)
                {
                    ref var entry = ref _entries[i];
                    var line = entry.Source < 0 ? LineOf(in entry) : [];
                    writer.Write(entry.Severity, entry.UnixTicks, entry.SubTick, _arena.AsSpan(entry.Offset, entry.IdLength), line, entry.LineLength, entry.Decision, entry.Source, entry.Position);
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
        var sources = _runs.SelectMany(run => run.Sources).Distinct(StringComparer.Ordinal).ToArray();
        var merged = NeedingActionRun.Create(sources);
        try
        {
            using var writer = new NeedingActionRunWriter(merged);
            foreach (var head in MergeSorted(_runs))
            {
                var source = head.Source < 0 ? -1 : Array.IndexOf(sources, head.Run.Sources[head.Source]);
                writer.Write(head.Severity, head.UnixTicks, head.SubTick, head.Id, head.Line, head.LineLength, head.Decision, source, head.Position);
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

    // Two run entries of the same key and id, by their lines, as CompareLines of buffered entries does.
    private int CompareLines(NeedingActionRunReader x, NeedingActionRunReader y)
    {
        if (x.Source < 0)
        {
            return x.Line.SequenceCompareTo(LineOf(y));
        }

        var copy = ArrayPool<byte>.Shared.Rent(x.LineLength);
        try
        {
            LineOf(x).CopyTo(copy);
            return copy.AsSpan(0, x.LineLength).SequenceCompareTo(LineOf(y));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    // A k-way merge of sorted runs: yields the reader whose entry comes next, to be read before the merge moves on.
    // Ties keep the runs' order, so the result is stable.
    private IEnumerable<NeedingActionRunReader> MergeSorted(List<NeedingActionRun> runs)
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
                var order = NeedingActionOrder.CompareKeys(x.Severity, x.UnixTicks, x.SubTick, x.Id, y.Severity, y.UnixTicks, y.SubTick, y.Id);
                if (order == 0)
                {
                    order = CompareLines(x, y);
                }

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

    // One entry of the sorted list: a buffered entry (its index) or the head of a run's reader (valid until the merge
    // moves on).
    private readonly record struct SortedEntry(int Index, NeedingActionRunReader? Head);
}
