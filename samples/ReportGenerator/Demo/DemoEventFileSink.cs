using System.Buffers;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;

namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// A stand-in for the durable log: appends each recorded access as one <c>access-event/1</c> line to a file. It has
/// no chain, no segments and no recovery; <see cref="DemoLog"/> is the one place that registers it, and the one
/// place to swap for the durable log.
/// </summary>
/// <remarks>Writes synchronously: the recording pipeline calls sinks from its own background writer, never from the app.</remarks>
internal sealed class DemoEventFileSink : IAccessEventSink, IDisposable
{
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    public DemoEventFileSink(DemoLogFile file)
    {
        _stream = new FileStream(file.Path, FileMode.Create, FileAccess.Write, FileShare.Read, 1);
    }

    public ValueTask WriteAsync(ReadOnlyMemory<AccessRecord> batch, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        foreach (var record in batch.Span)
        {
            AccessEventJson.WriteLine(_buffer, record);
        }

        _stream.Write(_buffer.WrittenSpan);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _stream.Flush(flushToDisk: false);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _stream.Dispose();
}
