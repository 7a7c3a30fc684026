using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using NodaTime;

namespace DataAccessAudit.Tests.Recording;

// Forwards to an inner sink once its gate opens; can be made to fail, as a full disk does.
internal sealed class GatedSink(IAccessEventSink inner) : IAccessEventSink, IGapRecordingSink, IDisposable
{
    private readonly ManualResetEventSlim _gate = new(true);

    public volatile bool Failing;

    public int Flushes;

    public void Close() => _gate.Reset();

    public void Dispose() => _gate.Dispose();

    public void Open() => _gate.Set();

    public async ValueTask WriteAsync(ReadOnlyMemory<AccessRecord> batch, CancellationToken cancellationToken)
    {
        _gate.Wait(cancellationToken);
        ThrowIfFailing();
        await inner.WriteAsync(batch, cancellationToken);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        Interlocked.Increment(ref Flushes);
        await inner.FlushAsync(cancellationToken);
    }

    public ValueTask WriteGapAsync(long dropped, Instant since, CancellationToken cancellationToken) =>
        inner is IGapRecordingSink gaps ? gaps.WriteGapAsync(dropped, since, cancellationToken) : ValueTask.CompletedTask;

    private void ThrowIfFailing()
    {
        if (Failing)
        {
            throw new IOException("No space left on device");
        }
    }
}
