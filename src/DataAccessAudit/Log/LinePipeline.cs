using System.Runtime.ExceptionServices;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Log;

// Serialises a large batch's event lines on a second thread while the writer thread chains them, so the writer's
// two costs (serialising, hashing) use two cores. The batch is cut into chunks of ChunkSize records, each with its
// own buffer: both threads claim chunks to serialise in order (so neither waits while work is left), and the
// writer chains the chunks strictly in order as they become ready. Sequence numbers come from each record's
// position in the batch, so they stay gap-free, and the chain runs through the lines in exactly that order; the
// bytes are the same as LogLineWriter.AppendEvent's, line for line (a test holds them equal). Used by the one
// background writer only.
internal sealed class LinePipeline : IDisposable
{
    public const int ChunkSize = 256;

    private const int Pending = 0;
    private const int Serialised = 1;
    private const int Failed = 2;

    private readonly List<LogLineWriter> _chunks = [];
    private readonly List<ReadOnlyMemory<byte>> _written = [];
    private readonly SemaphoreSlim _start = new(0);
    private readonly ManualResetEventSlim _helperDone = new(true);
    private int[] _state = [];
    private ReadOnlyMemory<AccessRecord> _batch;
    private long _firstSeq;
    private int _chunkCount;
    private int _nextChunk;
    private Exception? _failure;
    private Thread? _helper;
    private volatile bool _disposed;

    // How many accesses of the last batch were too large for a line and were recorded as gaps instead.
    public int TooLarge { get; private set; }

    // Whether a batch is large enough, and the machine has a core to spare, for the pipeline to pay.
    public static bool IsWorthwhile(int count) => count >= 2 * ChunkSize && Environment.ProcessorCount > 1;

    // Serialises and chains the batch, the first record taking firstSeq; chain holds the previous link on entry and
    // the last line's on return. Returns the lines' bytes, in order, valid until the next call.
    public IReadOnlyList<ReadOnlyMemory<byte>> Write(ReadOnlyMemory<AccessRecord> batch, long firstSeq, ChainHasher hasher, Span<byte> chain)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _chunkCount = (batch.Length + ChunkSize - 1) / ChunkSize;
        while (_chunks.Count < _chunkCount)
        {
            _chunks.Add(new LogLineWriter());
        }

        if (_state.Length < _chunkCount)
        {
            _state = new int[_chunkCount];
        }
        else
        {
            Array.Clear(_state, 0, _chunkCount);
        }

        _batch = batch;
        _firstSeq = firstSeq;
        _nextChunk = 0;
        _failure = null;
        _helper ??= StartHelper();
        _helperDone.Reset();
        _start.Release();
        try
        {
            var next = 0;
            var spinner = default(SpinWait);
            while (next < _chunkCount)
            {
                var state = Volatile.Read(ref _state[next]);
                if (state == Serialised)
                {
                    _chunks[next].SealPending(hasher, chain);
                    next++;
                    spinner = default;
                }
                else if (state == Failed)
                {
                    ExceptionDispatchInfo.Throw(_failure!);
                }
                else if (!SerialiseNextChunk())
                {
                    // The helper is finishing the chunk to chain next.
                    spinner.SpinOnce();
                }
            }
        }
        finally
        {
            // Whatever happened, the helper is done with the batch and the chunks before they are reused.
            _helperDone.Wait();
            _batch = default;
        }

        _written.Clear();
        TooLarge = 0;
        for (var i = 0; i < _chunkCount; i++)
        {
            _written.Add(_chunks[i].Written);
            TooLarge += _chunks[i].TooLarge;
        }

        return _written;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_helper is not null)
        {
            _start.Release();
            _helper.Join();
        }

        _start.Dispose();
        _helperDone.Dispose();
        foreach (var chunk in _chunks)
        {
            chunk.Dispose();
        }
    }

    private Thread StartHelper()
    {
        var thread = new Thread(Help) { IsBackground = true, Name = "DataAccessAudit log serialiser" };
        thread.Start();
        return thread;
    }

    private void Help()
    {
        while (true)
        {
            _start.Wait();
            if (_disposed)
            {
                return;
            }

            while (SerialiseNextChunk())
            {
            }

            _helperDone.Set();
        }
    }

    // Claims the next chunk nobody has claimed and serialises it; false when all are claimed.
    private bool SerialiseNextChunk()
    {
        var index = Interlocked.Increment(ref _nextChunk) - 1;
        if (index >= _chunkCount)
        {
            return false;
        }

        try
        {
            var chunk = _chunks[index];
            chunk.Clear();
            var start = index * ChunkSize;
            var records = _batch.Span.Slice(start, Math.Min(ChunkSize, _batch.Length - start));
            var seq = _firstSeq + start;
            foreach (ref readonly var record in records)
            {
                chunk.AppendEventBody(record, seq++);
            }

            Volatile.Write(ref _state[index], Serialised);
        }
        catch (Exception exception)
        {
            Interlocked.CompareExchange(ref _failure, exception, null);
            Volatile.Write(ref _state[index], Failed);
        }

        return true;
    }
}
