using System.Threading.Channels;
using DataAccessAudit.Log;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.Transparency;

// Signs a checkpoint of the file log every interval, and every RecordInterval records when set, while the host runs,
// and a last one when the container is disposed: after every hosted service (the recording queue among them) has
// stopped, so it covers every record the queue drained. Runs beside the writer: it reads the complete lines the writer
// has appended (see LogRecords), so the writer's hot path does no tree work; for RecordInterval the writer only reports
// each batch's last sequence number, and a wake-up is posted when enough records have accumulated. The key file is read
// again whenever its bytes change, so a key replaced on disk (a rotation) signs from the next checkpoint on without a
// restart.
internal sealed class CheckpointWriter : BackgroundService
{
    private readonly string _directory;
    private readonly CheckpointOptions _options;
    private readonly IEnumerable<ICheckpointSink> _sinks;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private NoteSigningKey? _key;
    private byte[]? _keyBytes;
    private string? _lastText;
    private long _signedSize;
    private bool _closed;

    public CheckpointWriter(IOptions<FileLogOptions> log, IOptions<CheckpointOptions> options, IEnumerable<ICheckpointSink> sinks, ILogger<CheckpointWriter>? logger = null, FileLog? fileLog = null)
    {
        _directory = Path.GetFullPath(log.Value.Directory);
        _options = options.Value;
        _sinks = sinks;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        // This host signs the log's checkpoints, so retention waits for one to cover each removal record even before
        // the first exists: deleting segments first would leave records that no checkpoint can ever be built from.
        if (fileLog is not null)
        {
            fileLog.CheckpointedRecords = static directory => LogTree.CheckpointedRecords(directory) ?? 0;
        }

        if (_options.RecordInterval is { } records && fileLog is not null)
        {
            fileLog.Committed = sequence =>
            {
                if (sequence - Volatile.Read(ref _signedSize) >= records)
                {
                    _wake.Writer.TryWrite(true);
                }
            };
        }
    }

    // Signs a checkpoint of what is written now, unless nothing was added since the last; returns it (null when the
    // log has no segment yet).
    public SignedNote? CheckpointNow()
    {
        lock (_gate)
        {
            if (_closed || !Directory.Exists(_directory) || LogFormat.ListSegments(_directory).Count == 0)
            {
                return null;
            }

            var note = LogTree.Update(_directory, CurrentKey());
            if (note.Text != _lastText)
            {
                _lastText = note.Text;
                Volatile.Write(ref _signedSize, Checkpoint.Parse(note.Text).TreeSize);
                CheckpointMessages.CheckpointSigned(_logger, _directory, note.ToString());
                foreach (var sink in _sinks)
                {
                    try
                    {
                        sink.PublishAsync(note, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    }
                    catch (Exception exception) when (exception is not OutOfMemoryException)
                    {
                        CheckpointMessages.SinkFailed(_logger, sink.GetType().Name, exception);
                    }
                }
            }

            return note;
        }
    }

    public override void Dispose()
    {
        Sign();
        lock (_gate)
        {
            _closed = true;
        }

        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval);
        try
        {
            // One outstanding wait on each source: the timer's tick, and the writer's "enough records" wake-up.
            var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            var wake = _wake.Reader.WaitToReadAsync(stoppingToken).AsTask();
            while (true)
            {
                var fired = await Task.WhenAny(tick, wake).ConfigureAwait(false);
                if (!await fired.ConfigureAwait(false))
                {
                    return;
                }

                if (fired == tick)
                {
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                else
                {
                    _wake.Reader.TryRead(out _);
                    wake = _wake.Reader.WaitToReadAsync(stoppingToken).AsTask();
                }

                Sign();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // The key as the file holds it now: read on every checkpoint (a few dozen bytes) and parsed again only when they
    // changed, so that replacing the file rotates the key. A file that cannot be read or parsed fails this checkpoint
    // (logged); the previous key is not used in its place, since the operator meant to stop using it.
    private NoteSigningKey CurrentKey()
    {
        var bytes = SmallFile.ReadAllBytes(_options.KeyFile);
        if (_key is null || !bytes.AsSpan().SequenceEqual(_keyBytes))
        {
            var key = NoteSigningKey.Load(_options.KeyFile);
            if (_key is not null)
            {
                CheckpointMessages.KeyRotated(_logger, _options.KeyFile, key.ToString());
            }

            if (KeyFileExposure.ModeOpenToOthers(_options.KeyFile) is { } mode)
            {
                CheckpointMessages.KeyFileExposed(_logger, _options.KeyFile, mode);
            }

            (_key, _keyBytes) = (key, bytes);
        }

        return _key;
    }

    private void Sign()
    {
        try
        {
            CheckpointNow();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException)
        {
            // ArgumentException: the key file now holds a witness's cosigner key, which cannot sign a log's checkpoint;
            // like an unreadable key, it fails this checkpoint rather than the host.
            CheckpointMessages.CheckpointFailed(_logger, _directory, exception);
        }
    }

}
