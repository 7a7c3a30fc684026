using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// Collects the accesses needing action without holding them all. Each is kept as its access-event/1 line with the
// decision the report used (the fast scanner's line as read, or the full parser's event written out), beside its
// sort key, so the fast path never builds objects for it. Entries gather in a buffer that, when full, is sorted and
// written to a temporary file as one run; reading merges the runs and what is still buffered, so the whole list comes
// out sorted while only one entry per run sits in memory. Runs are merged level by level, SpillFanIn at a time, so
// that ten million entries keep a few dozen files open and are rewritten only a couple of times. Files are created
// with DeleteOnClose: Delete (called by the list that owns them), or the process ending, removes them. Not
// thread-safe; each partial builder has its own, merged at the end on one thread.
internal sealed class NeedingActionRuns
{
    public const int SeverityCount = 4;
    public const int DefaultRunLength = 1 << 14;
    private const int SpillFanIn = 16;

    private readonly int _runLength;
    private readonly List<NeedingActionEntry> _buffer = [];
    private readonly List<List<FileStream>> _levels = [];
    private readonly long[] _counts = new long[SeverityCount];
    private bool _sorted = true;
    private bool _deleted;

    public NeedingActionRuns(int runLength = DefaultRunLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runLength);
        _runLength = runLength;
    }

    // Adds an access the full parser read, with the decision the report used.
    public void Add(AccessRecord record)
    {
        var id = Encoding.UTF8.GetBytes(record.Event.Id);
        var line = Encoding.UTF8.GetBytes(AccessEventJson.Format(record));
        var data = new byte[id.Length + line.Length];
        id.CopyTo(data, 0);
        line.CopyTo(data, id.Length);
        Add(new NeedingActionEntry(NeedingActionOrder.SeverityOf(record.Decision!.Value), record.Event.Time.ToUnixTimeTicks(), id.Length, data));
    }

    // Adds an access the fast scanner read: its line holds the recorded decision, the one the report used.
    public void Add(ActionSeverity severity, long unixTicks, ReadOnlySpan<byte> id, ReadOnlySpan<byte> line)
    {
        var data = new byte[id.Length + line.Length];
        id.CopyTo(data);
        line.CopyTo(data.AsSpan(id.Length));
        Add(new NeedingActionEntry(severity, unixTicks, id.Length, data));
    }

    // Takes over the other collector's entries and runs; the other must not be used afterwards.
    public void Merge(NeedingActionRuns other)
    {
        ObjectDisposedException.ThrowIf(_deleted, this);
        for (var i = 0; i < SeverityCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        for (var level = 0; level < other._levels.Count; level++)
        {
            LevelAt(level).AddRange(other._levels[level]);
        }

        other._levels.Clear();
        for (var level = 0; level < _levels.Count; level++)
        {
            Cascade(level);
        }

        foreach (var entry in other._buffer)
        {
            Buffer(entry);
        }

        other._buffer.Clear();
    }

    // The list for the report: the first rows in memory, and this collector (which the list now owns) for the rest.
    public AccessesNeedingAction Build(int firstRows)
    {
        var first = ReadAll().Take(firstRows).ToList();
        var counts = (long[])_counts.Clone();
        return _levels.All(level => level.Count == 0) && first.Count == _buffer.Count
            ? new AccessesNeedingAction(null, first, counts)
            : new AccessesNeedingAction(this, first, counts);
    }

    public IEnumerable<AccessRecord> ReadAll()
    {
        ObjectDisposedException.ThrowIf(_deleted, this);
        if (!_sorted)
        {
            _buffer.Sort(NeedingActionOrder.Instance);
            _sorted = true;
        }

        var runs = _levels.SelectMany(level => level).ToList();
        return (runs.Count == 0 ? _buffer : MergeSorted(runs, _buffer)).Select(entry => AccessEventJson.Parse(entry.Line));
    }

    public void Delete()
    {
        _deleted = true;
        foreach (var run in _levels.SelectMany(level => level))
        {
            run.Dispose();
        }

        _levels.Clear();
        _buffer.Clear();
    }

    private void Add(NeedingActionEntry entry)
    {
        _counts[(int)entry.Severity]++;
        Buffer(entry);
    }

    private void Buffer(NeedingActionEntry entry)
    {
        _buffer.Add(entry);
        _sorted = false;
        if (_buffer.Count >= _runLength)
        {
            _buffer.Sort(NeedingActionOrder.Instance);
            LevelAt(0).Add(WriteRun(_buffer));
            _buffer.Clear();
            _sorted = true;
            Cascade(0);
        }
    }

    // Merges a level's runs into one run of the next level once it holds SpillFanIn of them.
    private void Cascade(int level)
    {
        while (level < _levels.Count && _levels[level].Count >= SpillFanIn)
        {
            var runs = _levels[level];
            var merged = WriteRun(MergeSorted(runs, []));
            foreach (var run in runs)
            {
                run.Dispose();
            }

            runs.Clear();
            LevelAt(level + 1).Add(merged);
            level++;
        }
    }

    private List<FileStream> LevelAt(int level)
    {
        while (_levels.Count <= level)
        {
            _levels.Add([]);
        }

        return _levels[level];
    }

    // A run is a sequence of entries: severity (1 byte), Unix ticks (8), id length (4), data length (4), data.
    private static FileStream WriteRun(IEnumerable<NeedingActionEntry> entries)
    {
        var path = Path.Combine(Path.GetTempPath(), $"access-report-needing-action-{Guid.NewGuid():N}.run");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                foreach (var entry in entries)
                {
                    writer.Write((byte)entry.Severity);
                    writer.Write(entry.UnixTicks);
                    writer.Write(entry.IdLength);
                    writer.Write(entry.Data.Length);
                    writer.Write(entry.Data);
                }
            }

            stream.Flush();
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static IEnumerable<NeedingActionEntry> ReadRun(FileStream run)
    {
        run.Position = 0;
        using var reader = new BinaryReader(run, Encoding.UTF8, leaveOpen: true);
        while (run.Position < run.Length)
        {
            var severity = (ActionSeverity)reader.ReadByte();
            var ticks = reader.ReadInt64();
            var idLength = reader.ReadInt32();
            var data = reader.ReadBytes(reader.ReadInt32());
            yield return new NeedingActionEntry(severity, ticks, idLength, data);
        }
    }

    // A k-way merge of sorted runs and a sorted list; ties keep the inputs' order, so the result is stable.
    private static IEnumerable<NeedingActionEntry> MergeSorted(List<FileStream> runs, List<NeedingActionEntry> sorted)
    {
        var sources = new List<IEnumerator<NeedingActionEntry>>(runs.Count + 1);
        try
        {
            foreach (var run in runs)
            {
                sources.Add(ReadRun(run).GetEnumerator());
            }

            sources.Add(sorted.GetEnumerator());
            var heads = new PriorityQueue<int, (NeedingActionEntry Entry, int Source)>(Comparer<(NeedingActionEntry Entry, int Source)>.Create(static (a, b) =>
            {
                var byEntry = NeedingActionOrder.Instance.Compare(a.Entry, b.Entry);
                return byEntry != 0 ? byEntry : a.Source.CompareTo(b.Source);
            }));
            for (var i = 0; i < sources.Count; i++)
            {
                if (sources[i].MoveNext())
                {
                    heads.Enqueue(i, (sources[i].Current, i));
                }
            }

            while (heads.TryDequeue(out var source, out var head))
            {
                yield return head.Entry;
                if (sources[source].MoveNext())
                {
                    heads.Enqueue(source, (sources[source].Current, source));
                }
            }
        }
        finally
        {
            foreach (var source in sources)
            {
                source.Dispose();
            }
        }
    }
}
