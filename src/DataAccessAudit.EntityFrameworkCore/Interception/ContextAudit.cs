using System.Data.Common;
using DataAccessAudit.EntityFrameworkCore.DependencyInjection;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DataAccessAudit.EntityFrameworkCore.Interception;

/// <summary>
/// One context's audit state, a scoped service of EF Core's: its settings, and the tallies of its readers still open,
/// oldest first. EF Core disposes it with the context (and resets it when a pooled context goes back to the pool),
/// and then the tallies of readers the app never closed are recorded, so rows that reached the caller are not lost.
/// </summary>
internal sealed class ContextAudit : IResettableService, IDisposable
{
    private readonly EntityAccessInterceptor _interceptor;
    private readonly List<ReaderAccess> _open = [];
    private ReaderAccess? _loose;

    public ContextAudit(IDbContextOptions options)
    {
        var extension = options.FindExtension<EntityAuditOptionsExtension>()
            ?? throw new InvalidOperationException("The context's options lack UseDataAccessAudit.");
        _interceptor = extension.Interceptor;
        Settings = extension.Settings;
    }

    public AuditSettings Settings { get; }

    /// <summary>
    /// Gets the tallies of the reader that materialises a row now: the newest open one. A query run while another's
    /// reader is open (a lazy load, a query in a loop over another) opens and closes its reader within, so it keeps
    /// its own tallies; rows materialised with no reader seen open share one tally, recorded with the next close.
    /// </summary>
    public ReaderAccess Current => _open.Count > 0 ? _open[^1] : _loose ??= new ReaderAccess(null);

    /// <summary>Gets a value indicating whether a reader still open has materialised the row of <paramref name="shape"/> with <paramref name="key"/>.</summary>
    public bool HoldsOwnerRow(EntityShape shape, object key)
    {
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            if (_open[i].HoldsOwnerRow(shape, key))
            {
                return true;
            }
        }

        return false;
    }

    public void Opened(DbDataReader reader) => _open.Add(new ReaderAccess(reader));

    /// <summary>
    /// Gets the tallies to record for a reader that closes. Readers opened after it and still open served the same
    /// query (a split query's readers of related rows close after its main reader), so their tallies join it.
    /// </summary>
    public ReaderAccess? Closed(DbDataReader reader)
    {
        var index = _open.Count - 1;
        while (index >= 0 && !ReferenceEquals(_open[index].Reader, reader))
        {
            index--;
        }

        if (index < 0)
        {
            return null;
        }

        var closed = _open[index];
        for (var i = index + 1; i < _open.Count; i++)
        {
            closed.Absorb(_open[i]);
        }

        _open.RemoveRange(index, _open.Count - index);
        if (_open.Count == 0 && _loose is { } loose)
        {
            closed.Absorb(loose);
            _loose = null;
        }

        return closed;
    }

    /// <summary>Records what readers never closed, or closed unseen, have tallied, and forgets them.</summary>
    public void ResetState()
    {
        foreach (var access in _open)
        {
            _interceptor.Record(access, Settings);
        }

        _open.Clear();
        if (_loose is { } loose)
        {
            _loose = null;
            _interceptor.Record(loose, Settings);
        }
    }

    public Task ResetStateAsync(CancellationToken cancellationToken = default)
    {
        ResetState();
        return Task.CompletedTask;
    }

    public void Dispose() => ResetState();
}
