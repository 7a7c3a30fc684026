using DataAccessAudit.Log;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.Transparency;

// Signs a checkpoint of the file log every interval while the host runs, and a last one when the container is
// disposed: after every hosted service (the recording queue among them) has stopped, so it covers every record the
// queue drained. Runs beside the writer: it reads the complete lines the writer has appended (see LogRecords), so the
// writer's hot path does no tree work.
internal sealed class CheckpointWriter : BackgroundService
{
    private readonly string _directory;
    private readonly CheckpointOptions _options;
    private readonly IEnumerable<ICheckpointSink> _sinks;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private NoteSigningKey? _key;
    private string? _lastText;
    private bool _closed;

    public CheckpointWriter(IOptions<FileLogOptions> log, IOptions<CheckpointOptions> options, IEnumerable<ICheckpointSink> sinks, ILogger<CheckpointWriter>? logger = null)
    {
        _directory = Path.GetFullPath(log.Value.Directory);
        _options = options.Value;
        _sinks = sinks;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
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

            _key ??= NoteSigningKey.Load(_options.KeyFile);
            var note = LogTree.Update(_directory, _key);
            if (note.Text != _lastText)
            {
                _lastText = note.Text;
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
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sign();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Sign()
    {
        try
        {
            CheckpointNow();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            CheckpointMessages.CheckpointFailed(_logger, _directory, exception);
        }
    }
}
