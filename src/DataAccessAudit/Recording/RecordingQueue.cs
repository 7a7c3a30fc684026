using System.Threading.Channels;
using DataAccessAudit.Policy;
using Microsoft.Extensions.Hosting;

namespace DataAccessAudit.Recording;

/// <summary>
/// The queue between the app's threads and the sinks, and the one background writer that drains it in batches.
/// </summary>
internal sealed class RecordingQueue : IHostedService, IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly Channel<AccessRecord> _channel = Channel.CreateUnbounded<AccessRecord>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly IAccessEventSink[] _sinks;
    private readonly object _flushGate = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];
    private readonly Task _writer;
    private long _enqueued;
    private long _written;

    public RecordingQueue(IEnumerable<IAccessEventSink> sinks)
    {
        _sinks = [.. sinks];
        _writer = Task.Run(WriteLoopAsync);
    }

    public void Enqueue(AccessRecord record)
    {
        Interlocked.Increment(ref _enqueued);
        if (!_channel.Writer.TryWrite(record))
        {
            Interlocked.Decrement(ref _enqueued);
            throw new ObjectDisposedException(nameof(IAccessAuditor), "The auditor has been shut down; the access was not recorded.");
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _enqueued);
        TaskCompletionSource done;
        lock (_flushGate)
        {
            if (Interlocked.Read(ref _written) >= target)
            {
                return ValueTask.CompletedTask;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushWaiters.Add((target, done));
        }

        return new ValueTask(done.Task.WaitAsync(cancellationToken));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new AccessRecord[MaxBatch];
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var count = 0;
            while (count < batch.Length && reader.TryRead(out var record))
            {
                batch[count++] = record;
            }

            foreach (var sink in _sinks)
            {
                await sink.WriteAsync(batch.AsMemory(0, count), CancellationToken.None).ConfigureAwait(false);
            }

            Array.Clear(batch, 0, count);
            // A single-reader unbounded channel cannot count (Count throws NotSupportedException); peeking can.
            if (!reader.TryPeek(out _))
            {
                foreach (var sink in _sinks)
                {
                    await sink.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            Interlocked.Add(ref _written, count);
            ReleaseFlushWaiters();
        }

        ReleaseFlushWaiters();
    }

    private void ReleaseFlushWaiters()
    {
        var written = Interlocked.Read(ref _written);
        lock (_flushGate)
        {
            _flushWaiters.RemoveAll(waiter =>
            {
                if (waiter.Target > written)
                {
                    return false;
                }

                waiter.Done.TrySetResult();
                return true;
            });
        }
    }
}
