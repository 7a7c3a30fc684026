using System.Diagnostics;
using System.Runtime.CompilerServices;
using DataAccessAudit.Policy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace DataAccessAudit.Recording;

/// <summary>
/// The bounded queue between the app's threads and the sinks, and the one background writer thread that drains
/// it in batches, writes gap records, and makes the sinks durable (every flush interval, or per batch in
/// synchronous mode: group commit).
/// </summary>
/// <remarks>
/// A write failure (full disk, unwritable directory) is never swallowed: the batch stays with the writer and is
/// retried every flush interval and on every <see cref="FlushAsync"/>; meanwhile recording calls and flushes throw
/// an <see cref="IOException"/> naming the cause. For telemetry, <see cref="QueueDepth"/>, <see cref="DroppedCount"/>
/// and an <see cref="IRecordingTelemetry"/> expose the writer's state.
/// </remarks>
internal sealed class RecordingQueue : IHostedService, IAsyncDisposable, IDisposable
{
    private const int StopAttempts = 3;

    private readonly RecordRing _ring;
    private readonly IAccessEventSink[] _sinks;
    private readonly IGapRecordingSink[] _gapSinks;
    private readonly IDropCountingSink[] _dropCountingSinks;
    private readonly long[] _tooLargeSeen;
    private readonly RecordingFullMode _fullMode;
    private readonly bool _synchronous;
    private readonly TimeSpan _flushInterval;
    private readonly int _maxBatch;
    private readonly int _wakeThreshold;
    private readonly IClock _clock;
    private readonly IRecordingTelemetry? _telemetry;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _durableGate = new();
    private readonly object _spaceGate = new();
    private readonly object _flushGate = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];

    private long _durable;
    private long _written;
    private long _tooLarge;
    private long _tooLargeDurable;
    private long _dropped;
    private long _droppedReported;
    private long _firstDropTicks;
    private int _writerIdle;
    private int _blockedProducers;
    private volatile Exception? _fault;
    private volatile StrongBox<(Exception Error, Instant At)>? _lastWriteErrorBox;
    private volatile bool _stopping;
    private volatile bool _flushRequested;

    // The writer thread's own state, touched by no other thread.
    private readonly AccessRecord[] _batch;
    private int _pending;          // records in _batch not yet written to every sink (read by QueueDepth)
    private int _sinkIndex;        // the sink _batch goes to next (after a failure, the one that failed)
    private bool _dirty;           // written to since the last flush
    private long _lastFlush;       // Stopwatch timestamp of the last flush
    private long _attemptStarted;  // Stopwatch timestamp of the current sink call, for a failure's duration

    public RecordingQueue(IEnumerable<IAccessEventSink> sinks)
        : this(sinks, new RecordingOptions(), SystemClock.Instance)
    {
    }

    public RecordingQueue(
        IEnumerable<IAccessEventSink> sinks,
        RecordingOptions options,
        IClock clock,
        IRecordingTelemetry? telemetry = null,
        ILogger<RecordingQueue>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _sinks = [.. sinks];
        _gapSinks = [.. _sinks.OfType<IGapRecordingSink>()];
        _dropCountingSinks = [.. _sinks.OfType<IDropCountingSink>()];
        _tooLargeSeen = new long[_dropCountingSinks.Length];
        _ring = new RecordRing(options.Capacity);
        _fullMode = options.FullMode;
        _synchronous = options.Durability == RecordingDurability.Synchronous;
        _flushInterval = options.FlushInterval;
        _maxBatch = Math.Clamp(options.MaxBatchSize, 1, _ring.Capacity);
        _batch = new AccessRecord[_maxBatch];
        _wakeThreshold = Math.Max(1, Math.Min(_maxBatch, _ring.Capacity / 4));
        _clock = clock;
        _telemetry = telemetry;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _thread = new Thread(Run) { IsBackground = true, Name = "DataAccessAudit recording writer" };
        _thread.Start();
    }

    /// <summary>
    /// Gets how many accesses are recorded but not yet written (for an observable gauge): those in the queue and those
    /// of the batch the writer holds, which after a failed write waits there for its retry.
    /// </summary>
    internal long QueueDepth => _ring.Count + Volatile.Read(ref _pending);

    /// <summary>Gets how many accesses were dropped because the queue was full (for an observable counter).</summary>
    internal long DroppedCount => Volatile.Read(ref _dropped);

    /// <summary>
    /// Gets how many accesses a sink dropped because they were too large for a record, writing a gap in the place of
    /// each (with several sinks, the most any one of them dropped of each batch).
    /// </summary>
    internal long TooLargeCount => Volatile.Read(ref _tooLarge);

    /// <summary>Gets how many accesses were written to the sinks as records (not as the gap of one too large).</summary>
    internal long WrittenCount => Volatile.Read(ref _written) - Volatile.Read(ref _tooLarge);

    /// <summary>Gets how many accesses the sinks have made durable as records.</summary>
    internal long DurableCount => Volatile.Read(ref _durable) - Volatile.Read(ref _tooLargeDurable);

    /// <summary>Gets how many recording calls wait for room in a full queue (<see cref="RecordingFullMode.Block"/>).</summary>
    internal int BlockedProducers => Volatile.Read(ref _blockedProducers);

    /// <summary>Gets the queue's capacity (rounded up to a power of two).</summary>
    internal int Capacity => _ring.Capacity;

    /// <summary>Gets whether the writer's last attempt to write or flush failed (it retries until one succeeds).</summary>
    internal bool IsFailing => _fault is not null;

    /// <summary>Gets the last write or flush failure since start, and when it happened, even after writing resumed.</summary>
    internal (Exception Error, Instant At)? LastWriteError => _lastWriteErrorBox?.Value;

    public void Enqueue(in AccessRecord record)
    {
        if (_fault is { } fault && !KeepsQueueing(fault))
        {
            throw NotRecorded(fault);
        }

        if (_stopping)
        {
            throw new ObjectDisposedException(nameof(IAccessAuditor), "The auditor has been shut down; the access was not recorded.");
        }

        if (!_ring.TryEnqueue(record, out var position))
        {
            if (_fullMode == RecordingFullMode.Drop)
            {
                CountDrop();
                return;
            }

            position = EnqueueWhenRoom(record);
        }

        if (_synchronous)
        {
            WakeWriter();
            WaitUntilDurable(position);
        }
        else if (Volatile.Read(ref _writerIdle) != 0 && position + 1 - _ring.Dequeued >= _wakeThreshold)
        {
            WakeWriter();
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var target = _ring.Enqueued;
        if (Volatile.Read(ref _durable) >= target && _fault is null && Volatile.Read(ref _dropped) == Volatile.Read(ref _droppedReported))
        {
            return ValueTask.CompletedTask;
        }

        if (_stopped.Task.IsCompleted)
        {
            return ValueTask.FromException(new ObjectDisposedException(nameof(IAccessAuditor), "The auditor has been shut down; what it had not written is lost."));
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_flushGate)
        {
            _flushWaiters.Add((target, done));
        }

        _flushRequested = true;
        Interlocked.Exchange(ref _writerIdle, 0);
        _wake.Set();
        return new ValueTask(done.Task.WaitAsync(cancellationToken));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        RequestStop();
        return _stopped.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        RequestStop();
        await _stopped.Task.ConfigureAwait(false);
        _wake.Dispose();
    }

    public void Dispose()
    {
        RequestStop();
        _stopped.Task.GetAwaiter().GetResult();
        _wake.Dispose();
    }

    // A store out of reach, or refusing this app until an operator corrects its configuration, is no fault of the
    // recording calls: they go on queueing, so that what is recorded meanwhile is written once the store takes it.
    private static bool KeepsQueueing(Exception fault) => fault is StoreUnavailableException or StoreRefusedException;

    private static IOException NotRecorded(Exception fault) =>
        new($"The access was not recorded: the audit log cannot be written ({fault.Message}). Accesses recorded earlier stay queued and are written when the log can be written again.", fault);

    private void RequestStop()
    {
        _stopping = true;
        Interlocked.Exchange(ref _writerIdle, 0);
        _wake.Set();
    }

    private void WakeWriter()
    {
        if (Interlocked.Exchange(ref _writerIdle, 0) != 0)
        {
            _wake.Set();
        }
    }

    private void CountDrop()
    {
        var dropped = Interlocked.Increment(ref _dropped);
        if (dropped - Volatile.Read(ref _droppedReported) == 1)
        {
            Volatile.Write(ref _firstDropTicks, _clock.GetCurrentInstant().ToUnixTimeTicks());
        }
    }

    private long EnqueueWhenRoom(in AccessRecord record)
    {
        Interlocked.Increment(ref _blockedProducers);
        try
        {
            lock (_spaceGate)
            {
                while (true)
                {
                    if (_ring.TryEnqueue(record, out var position))
                    {
                        return position;
                    }

                    if (_fault is { } fault && !KeepsQueueing(fault))
                    {
                        throw NotRecorded(fault);
                    }

                    if (_stopping)
                    {
                        throw new ObjectDisposedException(nameof(IAccessAuditor), "The auditor has been shut down; the access was not recorded.");
                    }

                    WakeWriter();

                    // The writer pulses after taking a batch; the timeout only bounds a pulse missed in between.
                    Monitor.Wait(_spaceGate, 10);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _blockedProducers);
        }
    }

    private void WaitUntilDurable(long position)
    {
        if (Volatile.Read(ref _durable) > position)
        {
            return;
        }

        lock (_durableGate)
        {
            while (_durable <= position)
            {
                if (_fault is { } fault)
                {
                    throw new IOException($"The access may not be durable: the audit log cannot be written ({fault.Message}). It stays queued and is written when the log can be written again.", fault);
                }

                if (_stopped.Task.IsCompleted)
                {
                    throw new ObjectDisposedException(nameof(IAccessAuditor), "The auditor was shut down before the access was durable.");
                }

                Monitor.Wait(_durableGate);
            }
        }
    }

    // The writer thread's loop: a pass of work, then what comes next (more work at once, stop, or wait).
    private void Run()
    {
        _lastFlush = Stopwatch.GetTimestamp();
        var failedStops = 0;
        while (true)
        {
            var stopping = _stopping;
            var flushRequested = _flushRequested;
            _flushRequested = false;
            var failed = !WritePass(flushNow: stopping || flushRequested);

            if (!failed && _ring.HasPublished)
            {
                continue;
            }

            if (!failed && _ring.Count > 0 && (stopping || HasFlushWaiters()))
            {
                // A producer claimed a slot and is about to publish it: wait for it rather than a whole interval.
                Thread.Yield();
                continue;
            }

            if (stopping)
            {
                if (!failed && _pending == 0 && !_ring.HasPublished && !_dirty)
                {
                    break;
                }

                if (failed && ++failedStops >= StopAttempts)
                {
                    break;
                }
            }

            WaitForWork(failed);
        }

        Finish();
    }

    // One pass: the next batch to every sink, a gap record for the accesses dropped since the last one, and a flush
    // when one is due. False when a sink failed: the batch is kept and retried from the sink that failed.
    private bool WritePass(bool flushNow)
    {
        // Restarted before each sink call, so a failure's duration is the failed call's.
        _attemptStarted = Stopwatch.GetTimestamp();
        var flushing = false;
        try
        {
            WriteBatch();
            WriteGap();
            if (_dirty && (_synchronous || flushNow || HasFlushWaiters() || Stopwatch.GetElapsedTime(_lastFlush) >= _flushInterval))
            {
                flushing = true;
                Flush();
            }

            if (_fault is not null)
            {
                _fault = null;
                RecordingMessages.WritingResumed(_logger);
            }

            ReleaseFlushWaiters(null);
            return true;
        }
        catch (Exception exception)
        {
            _fault = exception;
            _lastWriteErrorBox = new((exception, _clock.GetCurrentInstant()));
            _telemetry?.WriteFailed(exception, Stopwatch.GetElapsedTime(_attemptStarted));
            if (exception is StoreUnavailableException)
            {
                RecordingMessages.StoreUnavailable(_logger, exception);
            }
            else if (exception is StoreRefusedException)
            {
                RecordingMessages.StoreRefused(_logger, exception);
            }
            else
            {
                RecordingMessages.WriteFailed(_logger, exception);
            }
            if (!flushing)
            {
                FlushWrittenAfterFailure();
            }

            lock (_durableGate)
            {
                Monitor.PulseAll(_durableGate);
            }

            ReleaseFlushWaiters(exception);
            return false;
        }
    }

    private void WriteBatch()
    {
        if (_pending == 0)
        {
            _pending = _ring.Dequeue(_batch);
            _sinkIndex = 0;
            if (_pending > 0 && Volatile.Read(ref _blockedProducers) > 0)
            {
                lock (_spaceGate)
                {
                    Monitor.PulseAll(_spaceGate);
                }
            }
        }

        if (_pending == 0)
        {
            return;
        }

        var started = _attemptStarted = Stopwatch.GetTimestamp();
        var memory = _batch.AsMemory(0, _pending);
        for (; _sinkIndex < _sinks.Length; _sinkIndex++)
        {
            Complete(_sinks[_sinkIndex].WriteAsync(memory, CancellationToken.None));
        }

        Array.Clear(_batch, 0, _pending);
        CountTooLarge();
        Volatile.Write(ref _written, _written + _pending);
        _telemetry?.BatchWritten(_pending, Stopwatch.GetElapsedTime(started));
        _pending = 0;
        _dirty = true;
    }

    // The accesses of the batch just written that a sink dropped as too large: with several sinks, the most any one
    // dropped (each drops the same access of the same batch).
    private void CountTooLarge()
    {
        long tooLarge = 0;
        for (var i = 0; i < _dropCountingSinks.Length; i++)
        {
            var count = _dropCountingSinks[i].TooLargeCount;
            tooLarge = Math.Max(tooLarge, count - _tooLargeSeen[i]);
            _tooLargeSeen[i] = count;
        }

        if (tooLarge > 0)
        {
            Volatile.Write(ref _tooLarge, _tooLarge + tooLarge);
            _telemetry?.TooLarge(tooLarge);
        }
    }

    private void WriteGap()
    {
        var dropped = Volatile.Read(ref _dropped) - _droppedReported;
        if (dropped <= 0)
        {
            return;
        }

        var since = Instant.FromUnixTimeTicks(Volatile.Read(ref _firstDropTicks));
        foreach (var sink in _gapSinks)
        {
            Complete(sink.WriteGapAsync(dropped, since, CancellationToken.None));
        }

        Volatile.Write(ref _droppedReported, _droppedReported + dropped);
        _telemetry?.Dropped(dropped);
        _dirty = true;
    }

    private void Flush()
    {
        var started = _attemptStarted = Stopwatch.GetTimestamp();
        foreach (var sink in _sinks)
        {
            Complete(sink.FlushAsync(CancellationToken.None));
        }

        _dirty = false;
        _lastFlush = Stopwatch.GetTimestamp();
        _telemetry?.Flushed(Stopwatch.GetElapsedTime(started));
        Volatile.Write(ref _tooLargeDurable, _tooLarge);
        MarkDurable(_written);
    }

    // A batch (or gap record) failed after earlier batches were written but not yet flushed: those are made durable
    // now, as a full disk still syncs what it holds, rather than wait in the page cache for a write that may not
    // succeed before a crash. The write's failure is the one reported; a failed flush here is tried again after it.
    private void FlushWrittenAfterFailure()
    {
        if (!_dirty)
        {
            return;
        }

        try
        {
            Flush();
        }
        catch (Exception exception)
        {
            _telemetry?.WriteFailed(exception, Stopwatch.GetElapsedTime(_attemptStarted));
        }
    }

    // Sleeps until a producer wakes the writer (enough queued, a flush asked for, stopping) or the next flush is due.
    // After a failure it sleeps a whole flush interval (the retry the options and the failure's message promise), cut
    // short only by a flush asked for or a stop: the time since the last flush says nothing then (the records written
    // before the failure stay dirty until a write succeeds), and producers filling the queue must not turn the
    // retries into a busy loop.
    private void WaitForWork(bool failed)
    {
        var timeout = _dirty && !failed ? _flushInterval - Stopwatch.GetElapsedTime(_lastFlush) : _flushInterval;
        var deadline = Stopwatch.GetTimestamp() + (long)(Math.Max(timeout.TotalSeconds, 0) * Stopwatch.Frequency);
        Interlocked.Exchange(ref _writerIdle, 1);
        if (_flushRequested || _stopping || (!failed && _ring.Count >= (_synchronous ? 1 : _wakeThreshold)))
        {
            Volatile.Write(ref _writerIdle, 0);
            return;
        }

        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            _wake.Wait(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            _wake.Reset();
            if (!failed || _flushRequested || _stopping || Stopwatch.GetTimestamp() >= deadline)
            {
                break;
            }
        }

        Volatile.Write(ref _writerIdle, 0);
    }

    // Ends the writer: what could not be written fails the stop (and the waiters) with the count lost.
    private void Finish()
    {
        // Drops reach the telemetry with the gap record that states them; when no write succeeded before the stop,
        // none did, so they are counted here, or the metric would miss accesses the health check reports dropped.
        var unreported = Volatile.Read(ref _dropped) - _droppedReported;
        if (unreported > 0)
        {
            _telemetry?.Dropped(unreported);
        }

        var lost = _pending + _ring.Count;
        if (lost > 0 || _fault is not null)
        {
            var exception = new IOException($"The audit log could not be written when the auditor shut down ({_fault?.Message.TrimEnd('.')}); {lost} recorded {(lost == 1 ? "access was" : "accesses were")} not written.", _fault);
            RecordingMessages.LostOnShutdown(_logger, lost, _fault);
            if (lost > 0)
            {
                // Counted before the host disposes the meter, so that an exporter's final flush still carries them.
                _telemetry?.LostOnShutdown(lost);
            }

            ReleaseFlushWaiters(exception);
            _stopped.TrySetException(exception);
        }
        else
        {
            _stopped.TrySetResult();
        }

        lock (_durableGate)
        {
            Monitor.PulseAll(_durableGate);
        }
    }

    // Sinks called from this thread complete synchronously in practice (the file log does); an asynchronous one is
    // waited for here, which is what the one writer thread is for.
    private static void Complete(ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        task.AsTask().GetAwaiter().GetResult();
    }

    private void MarkDurable(long written)
    {
        lock (_durableGate)
        {
            Volatile.Write(ref _durable, written);
            Monitor.PulseAll(_durableGate);
        }
    }

    private bool HasFlushWaiters()
    {
        lock (_flushGate)
        {
            return _flushWaiters.Count > 0;
        }
    }

    private void ReleaseFlushWaiters(Exception? failure)
    {
        var durable = Volatile.Read(ref _durable);
        var dropsReported = Volatile.Read(ref _dropped) == Volatile.Read(ref _droppedReported);
        lock (_flushGate)
        {
            _flushWaiters.RemoveAll(waiter =>
            {
                if (waiter.Target <= durable && dropsReported)
                {
                    waiter.Done.TrySetResult();
                    return true;
                }

                if (failure is not null)
                {
                    waiter.Done.TrySetException(failure is IOException io ? io : new IOException($"The audit log could not be written: {failure.Message}", failure));
                    return true;
                }

                return false;
            });
        }
    }
}
