using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using DataAccessAudit.Interchange;

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

    // Gives back a block the scanner is done with; its buffer goes back to the pool at once.
    public void Return(LogBlock block)
    {
        block.ReturnBuffer();
        _free.Enqueue(block);
    }

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
            var failed = Rent(index, default);
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

    // Reads the segment through a LineBuffer and hands each read's whole lines over as a block, in the buffer they
    // were read into: a block's bytes are never copied, only the line before it (its context) is.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadSegment(int index, CancellationToken token)
    {
        using var stream = new FileStream(_segments[index].Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var pending = new LineBuffer(LogBlock.Bytes);
        var block = Rent(index, default);
        var first = true;

        // Where the next line starts in the file, and how many bytes were read: a line too long to hold ended at
        // its line end when that was read too.
        long offset = 0;
        long read = 0;
        var atEnd = false;
        while (!atEnd)
        {
            var count = stream.Read(pending.FreeSpace().Span);
            atEnd = count == 0;
            pending.Advance(count);
            read += count;
            if (!pending.TryTakeLines(atEnd, out var bytes, out var length, out var droppedLength))
            {
                continue;
            }

            if (block.Count > 0)
            {
                var next = Rent(index, block.Chain);
                if (block.Lines[block.Count - 1].DroppedLength == 0)
                {
                    next.SetContext(block.Line(block.Count - 1));
                }

                Submit(block, token);
                block = next;
            }

            block.Adopt(bytes);
            if (droppedLength > 0)
            {
                var terminated = offset + droppedLength < read;
                offset += droppedLength + (terminated ? 1 : 0);
                block.Add(new BlockLine { Terminated = terminated, DroppedLength = droppedLength, NextOffset = offset });
            }

            Split(block, bytes.AsSpan(0, length), ref offset);
            if (first && block.Count > 0)
            {
                first = false;
                block.Chain = ChainOf(block.Line(0));
            }
        }

        block.EndOfSegment = true;
        Submit(block, token);
    }

    // Adds the lines of bytes (whole lines, but for the segment's last, which may lack its line end) to the block.
    // Called once a read but looping over every line: compiled optimised at once, like ReadSegment.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Split(LogBlock block, ReadOnlySpan<byte> bytes, ref long offset)
    {
        var start = 0;
        while (start < bytes.Length)
        {
            var end = bytes[start..].IndexOf((byte)'\n');
            var terminated = end >= 0;
            var length = terminated ? end : bytes.Length - start;
            offset += length + (terminated ? 1 : 0);
            block.Add(new BlockLine { Start = start, Length = length, Terminated = terminated, NextOffset = offset });
            start += length + 1;
        }
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

    private LogBlock Rent(int segment, SegmentChain chain)
    {
        if (!_free.TryDequeue(out var block))
        {
            block = new LogBlock();
        }

        block.Reset(segment, chain);
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
