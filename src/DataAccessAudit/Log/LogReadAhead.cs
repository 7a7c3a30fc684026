using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace DataAccessAudit.Log;

// Reads a log's segments ahead of the scanner on a thread of its own, in blocks of whole lines, and checks each block
// on the thread pool (so on every core): whether each line follows the line before it. A link depends only on bytes
// already in the file (the line before's sequence number and chain value, and this line's bytes), so blocks are
// checked in any order and at once; the scanner takes them back in file order and re-checks sequentially only a line
// that did not follow, so the first break it finds, and how it is classified, are those of a line-by-line walk.
internal sealed class LogReadAhead : IDisposable
{
    private readonly List<(long Number, string Path)> _segments;
    private readonly IReadOnlyDictionary<string, byte[]>? _keys;
    private readonly BlockingCollection<LogBlock> _ordered;
    private readonly ConcurrentQueue<LogBlock> _free = new();
    private readonly ConcurrentBag<ChainHasherSet> _hashers = [];
    private readonly CancellationTokenSource _stop;
    private readonly Task _reading;

    public LogReadAhead(List<(long Number, string Path)> segments, IReadOnlyDictionary<string, byte[]>? keys, CancellationToken cancellationToken)
    {
        _segments = segments;
        _keys = keys;

        // Enough blocks in flight to keep every core checking while the scanner walks one: a few MiB.
        _ordered = new BlockingCollection<LogBlock>(2 * Environment.ProcessorCount + 2);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _reading = Task.Factory.StartNew(Read, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    // Takes the next block in file order once it is checked; rethrows a failure to read at its place. False at the end.
    public bool TryTake(out LogBlock block)
    {
        if (!_ordered.TryTake(out block!, Timeout.Infinite))
        {
            return false;
        }

        block.Error?.Throw();
        block.Checked.GetAwaiter().GetResult();
        return true;
    }

    // Gives back a block the scanner is done with.
    public void Return(LogBlock block) => _free.Enqueue(block);

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _reading.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        // No block is being filled now; wait for those still being checked before their buffers go back.
        while (_ordered.TryTake(out var block))
        {
            block.Checked.ContinueWith(static _ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
            _free.Enqueue(block);
        }

        while (_free.TryDequeue(out var block))
        {
            block.ReturnBuffer();
        }

        foreach (var set in _hashers)
        {
            set.Dispose();
        }

        _ordered.Dispose();
        _stop.Dispose();
    }

    private void Read()
    {
        var token = _stop.Token;
        var index = 0;
        try
        {
            for (; index < _segments.Count; index++)
            {
                ReadSegment(index, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The scanner rethrows it when it reaches this segment, after the lines before it.
            var failed = Rent(index, default, 0);
            failed.Error = ExceptionDispatchInfo.Capture(exception);
            try
            {
                _ordered.Add(failed, token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        finally
        {
            _ordered.CompleteAdding();
        }
    }

    private void ReadSegment(int index, CancellationToken token)
    {
        using var reader = new SegmentLineReader(_segments[index].Path);
        var block = Rent(index, default, LogBlock.Bytes);
        var first = true;
        while (reader.TryRead(out var start, out var length, out var terminated))
        {
            if (first)
            {
                first = false;
                block.Chain = ChainOf(reader.Buffer.AsSpan(start, length));
            }

            if (block.Count == LogBlock.MaxLines || (block.Count > 0 && block.Used + length > block.Buffer.Length))
            {
                var next = Rent(index, block.Chain, Math.Max(LogBlock.Bytes, length));
                ref readonly var last = ref block.Lines[block.Count - 1];
                if (last.DroppedLength == 0 && last.Length + length <= next.Buffer.Length)
                {
                    block.Line(block.Count - 1).CopyTo(next.Buffer);
                    next.ContextLength = last.Length;
                    next.Used = last.Length;
                }

                Submit(block, token);
                block = next;
            }

            block.Reserve(length);
            reader.Buffer.AsSpan(start, length).CopyTo(block.Buffer.AsSpan(block.Used));
            block.Lines[block.Count++] = new BlockLine
            {
                Start = block.Used,
                Length = length,
                Terminated = terminated,
                DroppedLength = reader.DroppedLength,
                NextOffset = reader.Offset,
            };
            block.Used += length;
        }

        block.EndOfSegment = true;
        Submit(block, token);
    }

    // How the header (the segment's first line) says the records are chained. A header that is not one is a break
    // the scanner finds itself; nothing after it is then taken from the check.
    private SegmentChain ChainOf(ReadOnlySpan<byte> header)
    {
        if (!LogFormat.TryReadFields(header, out var fields) || !fields.IsHeader)
        {
            return default;
        }

        if (fields.KeyId is null)
        {
            return new SegmentChain(null, null, Checked: true);
        }

        return _keys is not null && _keys.TryGetValue(fields.KeyId, out var key)
            ? new SegmentChain(fields.KeyId, key, Checked: true)
            : new SegmentChain(fields.KeyId, null, Checked: false);
    }

    private LogBlock Rent(int segment, SegmentChain chain, int bytes)
    {
        if (!_free.TryDequeue(out var block))
        {
            block = new LogBlock();
        }

        block.Reset(segment, chain, bytes);
        return block;
    }

    private void Submit(LogBlock block, CancellationToken token)
    {
        block.Checked = Task.Run(() => Check(block), CancellationToken.None);
        _ordered.Add(block, token);
    }

    private void Check(LogBlock block)
    {
        if (!_hashers.TryTake(out var hashers))
        {
            hashers = new ChainHasherSet();
        }

        try
        {
            LinkCheck.Run(block, block.Chain.Checked ? hashers.For(block.Chain) : null);
        }
        finally
        {
            _hashers.Add(hashers);
        }
    }
}
