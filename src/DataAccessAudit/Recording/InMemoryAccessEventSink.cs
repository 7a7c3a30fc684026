using DataAccessAudit.Policy;

namespace DataAccessAudit.Recording;

/// <summary>
/// A sink that keeps every record in memory: for tests and samples, not for production (it grows without bound).
/// </summary>
public sealed class InMemoryAccessEventSink : IAccessEventSink
{
    private readonly object _gate = new();
    private readonly List<AccessRecord> _records = [];

    /// <summary>Gets a snapshot of the records written so far, in order.</summary>
    public IReadOnlyList<AccessRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadOnlyMemory<AccessRecord> batch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _records.AddRange(batch.Span);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
