using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using NodaTime;

namespace DataAccessAudit.EntityFrameworkCore.Interception;

/// <summary>
/// Records the reads of classified entities: every entity a query materialises is tallied by the data reader that
/// read it, its type and its home region, and when that reader closes each tally becomes one access event whose
/// <c>subjects</c> is the number of distinct people read. The policy judges a tally at its first row, so in enforce
/// mode a denied query throws <see cref="AccessDeniedException"/> before that row reaches the caller.
/// </summary>
/// <remarks>
/// One interceptor serves every context of an app (EF Core builds an internal service provider per distinct
/// interceptor); each context's settings and tallies are its <see cref="ContextAudit"/>.
/// Rows a tracking query finds already tracked are not materialised again: they count in the query that loaded them.
/// Projections that select scalar columns (<c>Select(u => u.Email)</c>) materialise no entity and are not seen here,
/// except the one EF Core runs for <c>GetDatabaseValues</c> and <c>Reload</c> (see <see cref="DatabaseValuesQuery"/>).
/// </remarks>
internal sealed class EntityAccessInterceptor : DbCommandInterceptor, IMaterializationInterceptor, IQueryExpressionInterceptor
{
    private static readonly Requester Nobody = new("unknown", Region.Unknown);

    private readonly IAccessAuditor _auditor;
    private readonly AccessPolicy _policy;
    private readonly IClock _clock;
    private readonly IRequesterAccessor? _requesters;
    private readonly ConcurrentDictionary<IEntityType, EntityShape?> _shapes = new();
    private readonly Func<IEntityType, EntityShape?> _shapeOf;
    private readonly ConditionalWeakTable<DbContext, ContextAudit> _contexts = new();

    public EntityAccessInterceptor(IAccessAuditor auditor, AccessPolicy policy, IClock clock, IRequesterAccessor? requesters)
    {
        _auditor = auditor;
        _policy = policy;
        _clock = clock;
        _requesters = requesters;
        _shapeOf = ShapeOf;
    }

    public object InitializedInstance(MaterializationInterceptionData materializationData, object entity)
    {
        var entityType = materializationData.EntityType;
        if (!_shapes.TryGetValue(entityType, out var shape))
        {
            shape = ShapeOf(entityType);
        }

        if (shape is null)
        {
            return entity;
        }

        var audit = AuditOf(materializationData.Context);
        if (shape.Owner is { } owner && shape.RowKeyOf(materializationData) is { } ownerKey && audit.HoldsOwnerRow(owner, ownerKey))
        {
            // Counted with its owner's row, whose home region and person it shares. Another owner's row read beside
            // it (a query selecting one customer and every customer's address) is that other person's, counted below.
            return entity;
        }

        var settings = audit.Settings;
        var region = shape.HomeRegionOf(materializationData, entity, settings.DefaultRegion) ?? settings.DefaultRegion ?? throw new InvalidOperationException(
            $"The entity {shape.Name} holds {shape.Category} data but does not say where it is at home: mark the property that holds the person's " +
            "region with [HomeRegion], or set EntityAuditOptions.DefaultDataRegion (such as \"US\") in UseDataAccessAudit.");
        var reader = audit.Current;
        if (!reader.TryGet(shape, region, out var access))
        {
            var first = Event(settings, shape, region);
            var decision = _policy.Evaluate(first);
            if (decision.IsDenied)
            {
                // Refused before this row reaches the caller; the rest of the query is abandoned with it.
                _auditor.Record(first);
                throw new AccessDeniedException(first, decision);
            }

            access = new QueryAccess(first, shape.HasSubjectKey);
            reader.Add(shape, region, access);
        }

        access.Add(shape.SubjectOf(materializationData, entity));
        if (shape.OwnsTypes && shape.RowKeyOf(materializationData) is { } key)
        {
            reader.HoldOwnerRow(shape, key);
        }

        return entity;
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        if (eventData.Context is { } context)
        {
            AuditOf(context).Opened(result);
        }

        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            AuditOf(context).Opened(result);
        }

        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        if (eventData.Context is { } context && _contexts.TryGetValue(context, out var audit) && audit.Closed(eventData.DataReader) is { } closed)
        {
            Record(closed, audit.Settings);
        }

        return result;
    }

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData) =>
        DatabaseValuesQuery.Rewrite(queryExpression);

    /// <summary>Records each tally of a reader as one event.</summary>
    public void Record(ReaderAccess reader, AuditSettings settings)
    {
        foreach (var (_, access) in reader.Tallies)
        {
            var first = access.First;
            _auditor.Record(new AccessEvent(first.Id, first.Time, first.Requester, first.Resource, first.Action)
            {
                SubjectKeys = access.Pseudonymous && settings.SubjectPseudonym is { } pseudonym ? access.Pseudonyms(pseudonym) : [],
                Subjects = Math.Max(1, access.Subjects),
                Purpose = first.Purpose,
                TraceId = first.TraceId,
            });
        }
    }

    private ContextAudit AuditOf(DbContext context)
    {
        if (!_contexts.TryGetValue(context, out var audit))
        {
            audit = context.GetService<ContextAudit>();
            _contexts.AddOrUpdate(context, audit);
        }

        return audit;
    }

    private EntityShape? ShapeOf(IEntityType entityType) =>
        _shapes.GetOrAdd(entityType, static (type, self) => EntityShape.Of(type, self._policy.Taxonomy, self._shapeOf), this);

    private AccessEvent Event(AuditSettings settings, EntityShape shape, Region region)
    {
        var now = _clock.GetCurrentInstant();
        var resource = new AccessedResource(shape.Name, shape.Category, region) { Type = shape.Name, StoredIn = settings.StoredIn };
        return new AccessEvent(AccessEventId.New(now), now, _requesters?.Requester ?? settings.Requester ?? Nobody, resource, settings.Action)
        {
            Subjects = 1,
            Purpose = settings.Purpose,
            TraceId = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : null,
        };
    }
}
