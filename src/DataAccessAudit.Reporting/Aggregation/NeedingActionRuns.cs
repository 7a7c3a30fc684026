using System.Buffers;
using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// Collects the accesses needing action without holding them all: they gather in a buffer that, when full, is sorted
// and written to a temporary file as one run (access-event/1 lines with the decision used, the format every reader
// already knows). Reading merges the runs and what is still buffered, so the whole list comes out sorted while only
// one record per run sits in memory. Runs are merged level by level, SpillFanIn at a time, so that ten million
// records keep a few dozen files open and are rewritten only a couple of times. Files are created with
// DeleteOnClose: Delete (called by the list that owns them), or the process ending, removes them. Not thread-safe; each partial builder has its own,
// merged at the end on one thread.
internal sealed class NeedingActionRuns
{
    public const int SeverityCount = 4;
    public const int DefaultRunLength = 1 << 14;
    private const int SpillFanIn = 16;

    private readonly int _runLength;
    private readonly List<AccessRecord> _buffer = [];
    private readonly List<List<FileStream>> _levels = [];
    private readonly long[] _counts = new long[SeverityCount];
    private bool _sorted = true;
    private bool _disposed;

    public NeedingActionRuns(int runLength = DefaultRunLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runLength);
        _runLength = runLength;
    }

    public long Count => _counts.Sum();

    // How many runs lie on disk (for tests that check that spilling happens).
    public int RunCount => _levels.Sum(level => level.Count);

    public void Add(AccessRecord record)
    {
        _counts[(int)NeedingActionOrder.SeverityOf(record.Decision!.Value)]++;
        Buffer(record);
    }

    // Takes over the other collector's records and runs; the other must not be used afterwards.
    public void Merge(NeedingActionRuns other)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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

        foreach (var record in other._buffer)
        {
            Buffer(record);
        }

        other._buffer.Clear();
    }

    // The list for the report: the first rows in memory, and this collector (which the list now owns) for the rest.
    public AccessesNeedingAction Build(int firstRows)
    {
        var first = ReadAll().Take(firstRows).ToList();
        var counts = (long[])_counts.Clone();
        return RunCount == 0 && first.Count == _buffer.Count
            ? new AccessesNeedingAction(null, first, counts)
            : new AccessesNeedingAction(this, first, counts);
    }

    public IEnumerable<AccessRecord> ReadAll()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_sorted)
        {
            _buffer.Sort(NeedingActionOrder.Instance);
            _sorted = true;
        }

        var runs = _levels.SelectMany(level => level).ToList();
        return runs.Count == 0 ? _buffer : MergeSorted(runs, _buffer);
    }

    public void Delete()
    {
        _disposed = true;
        foreach (var run in _levels.SelectMany(level => level))
        {
            run.Dispose();
        }

        _levels.Clear();
        _buffer.Clear();
    }

    private void Buffer(AccessRecord record)
    {
        _buffer.Add(record);
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

    private static FileStream WriteRun(IEnumerable<AccessRecord> records)
    {
        var path = Path.Combine(Path.GetTempPath(), $"access-report-needing-action-{Guid.NewGuid():N}.jsonl");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            var line = new ArrayBufferWriter<byte>(1024);
            foreach (var record in records)
            {
                AccessEventJson.WriteLine(line, record);
                stream.Write(line.WrittenSpan);
                line.ResetWrittenCount();
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

    private static IEnumerable<AccessRecord> ReadRun(FileStream run)
    {
        run.Position = 0;
        using var reader = new StreamReader(run, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true);
        while (reader.ReadLine() is { } line)
        {
            yield return AccessEventJson.Parse(line);
        }
    }

    // A k-way merge of sorted runs and a sorted list; ties keep the inputs' order, so the result is stable.
    private static IEnumerable<AccessRecord> MergeSorted(List<FileStream> runs, List<AccessRecord> sorted)
    {
        var sources = new List<IEnumerator<AccessRecord>>(runs.Count + 1);
        try
        {
            foreach (var run in runs)
            {
                sources.Add(ReadRun(run).GetEnumerator());
            }

            sources.Add(sorted.GetEnumerator());
            var heads = new PriorityQueue<int, (AccessRecord Record, int Source)>(Comparer<(AccessRecord Record, int Source)>.Create(static (a, b) =>
            {
                var byRecord = NeedingActionOrder.Instance.Compare(a.Record, b.Record);
                return byRecord != 0 ? byRecord : a.Source.CompareTo(b.Source);
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
                yield return head.Record;
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
