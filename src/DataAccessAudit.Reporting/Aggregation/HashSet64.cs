namespace DataAccessAudit.Reporting.Aggregation;

// A set of 64-bit hashes, for counting distinct values. This set is the one part of a report that grows with the data
// (distinct protected resources per requester), so its bytes per value decide the report's peak memory, and adding to
// it is on the path of every protected access.
//
// Values are appended to a small buffer; when the buffer is full they are sorted and merged into the distinct values
// so far, kept sorted and Elias–Fano coded (EliasFanoCode): 6.5 to 7 bytes a value for the sets a report holds, plus
// the buffer, at most an eighth of the values (one byte a value). A hash table of the same values took 9 to 14 bytes
// a value, and each add was a probe at a random place in it: with thousands of requesters' tables far larger than
// the processor's caches, a cache miss on nearly every protected access. Appending touches the buffer's end; the
// merge reads and writes in order. Each merge rewrites the set, so the buffer grows with the set (an eighth of it, at
// least 4 values): an add then costs a few values' decoding and encoding and its share of a sort, at any size. (A
// buffer of bounded length would make a set of millions rewrite all of them every few thousand adds.)
//
// The code lives in native memory, freed the moment a merge replaces it: as managed arrays, every outgrown code of a
// large set was large-object-heap garbage that stayed resident until the next full collection, which put tens of
// megabytes of slack on the peak of a ten-million-event report. The code is a SafeHandle (SlotTable): the report's
// builder disposes the sets when it is disposed, and the handle's critical finalizer frees the code of a set that
// never was.
//
// Thread-safe: the sets are shared by a report's workers (SharedResourceSets), and counting rewrites the buffer.
internal sealed class HashSet64 : IDisposable
{
    private const int MinBuffer = 4;

    private ulong[] _buffer = new ulong[MinBuffer];
    private int _buffered;

    // The distinct values merged so far, coded for _capacity values; null before the first merge.
    private SlotTable? _code;
    private int _count;
    private int _capacity;
    private bool _disposed;

    // The distinct values. Counting leaves in the buffer only the values the code lacks, once each, but does not
    // merge them: a report counts every set when it is built, and merging them all then would make every set's code
    // anew at once, beside the old ones.
    public int Count
    {
        get
        {
            lock (this)
            {
                ThrowIfDisposed();
                return _count + Unmerged();
            }
        }
    }

    // The code in use (null before the first merge), for tests of its release.
    internal SlotTable? Code => _code;

    // The buffer's length and the values in it, for tests of its growth and of the code's size.
    internal int BufferLength => _buffer.Length;

    internal int Buffered => _buffered;

    public void Dispose()
    {
        lock (this)
        {
            _disposed = true;
            _code?.Dispose();
        }
    }

    public void Add(ulong value)
    {
        lock (this)
        {
            ThrowIfDisposed();
            if (_buffered == _buffer.Length)
            {
                var length = Math.Max(_count / 8, MinBuffer);
                if (length > _buffer.Length)
                {
                    Array.Resize(ref _buffer, Math.Min(length, 2 * _buffer.Length));
                }
                else
                {
                    Merge();
                }
            }

            _buffer[_buffered++] = value;
        }
    }

    public bool Contains(ulong value)
    {
        lock (this)
        {
            ThrowIfDisposed();
            if (_buffer.AsSpan(0, _buffered).Contains(value))
            {
                return true;
            }

            var reader = Read();
            while (reader.TryRead(out var next) && next <= value)
            {
                if (next == value)
                {
                    return true;
                }
            }

            GC.KeepAlive(_code);
            return false;
        }
    }

    public void UnionWith(HashSet64 other)
    {
        ArgumentNullException.ThrowIfNull(other);

        // A set holds itself already.
        if (ReferenceEquals(other, this))
        {
            return;
        }

        // The other set's values are copied out under its lock and added under this one's, so two unions in opposite
        // directions cannot wait for each other.
        ulong[] values;
        lock (other)
        {
            other.ThrowIfDisposed();
            other.Merge();
            values = new ulong[other._count];
            var reader = other.Read();
            for (var i = 0; reader.TryRead(out var value); i++)
            {
                values[i] = value;
            }

            GC.KeepAlive(other._code);
        }

        lock (this)
        {
            ThrowIfDisposed();
            Merge(values);
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(HashSet64), "The report builder that owns this set was disposed.");
        }
    }

    // Sorts the buffer and keeps in it only the values the code lacks, once each; returns how many.
    private int Unmerged()
    {
        var buffered = _buffer.AsSpan(0, SortBuffer());
        var reader = Read();
        var hasCurrent = reader.TryRead(out var current);
        var kept = 0;
        foreach (var value in buffered)
        {
            while (hasCurrent && current < value)
            {
                hasCurrent = reader.TryRead(out current);
            }

            if (!hasCurrent || current != value)
            {
                buffered[kept++] = value;
            }
        }

        GC.KeepAlive(_code);
        _buffered = kept;
        return kept;
    }

    // Sorts the buffer and drops its repeats; returns how many values it holds then.
    private int SortBuffer()
    {
        var buffered = _buffer.AsSpan(0, _buffered);
        buffered.Sort();
        var distinct = Math.Min(buffered.Length, 1);
        for (var i = 1; i < buffered.Length; i++)
        {
            if (buffered[i] != buffered[distinct - 1])
            {
                buffered[distinct++] = buffered[i];
            }
        }

        return _buffered = distinct;
    }

    private EliasFanoCode.Reader Read() =>
        _code is null ? default : new EliasFanoCode.Reader(_code.Slots, _count, _capacity);

    // Merges the buffer into the code.
    private void Merge()
    {
        if (_buffered == 0)
        {
            return;
        }

        var distinct = _buffer.AsSpan(0, SortBuffer());
        _buffered = 0;
        Merge(distinct);
    }

    // Merges distinct values in ascending order into the code, in a new code made for both (repeats between them are
    // written once, and leave room unused until the next merge).
    private void Merge(ReadOnlySpan<ulong> sorted)
    {
        ThrowIfDisposed();
        if (sorted.IsEmpty)
        {
            return;
        }

        var capacity = checked(_count + sorted.Length);
        var merged = SlotTable.Allocate(EliasFanoCode.WordsFor(capacity).Words);
        var writer = new EliasFanoCode.Writer(merged.Slots, capacity);
        var reader = Read();
        var i = 0;
        var hasCurrent = reader.TryRead(out var current);
        while (hasCurrent || i < sorted.Length)
        {
            if (!hasCurrent || (i < sorted.Length && sorted[i] < current))
            {
                writer.Write(sorted[i++]);
                continue;
            }

            if (i < sorted.Length && sorted[i] == current)
            {
                i++;
            }

            writer.Write(current);
            hasCurrent = reader.TryRead(out current);
        }

        var outgrown = _code;
        _code = merged;
        _count = writer.Count;
        _capacity = capacity;
        outgrown?.Dispose();
    }
}
