using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NodaTime;

namespace DataAccessAudit.EntityFrameworkCore.Interception;

/// <summary>
/// Records the reads of classified entities: every entity a query materialises is tallied by type and home region,
/// and when the query's reader closes each tally becomes one access event whose <c>subjects</c> is the number of
/// distinct people read. The policy judges a tally at its first row, so in enforce mode a denied query throws
/// <see cref="AccessDeniedException"/> before that row reaches the caller.
/// </summary>
/// <remarks>
/// Rows a tracking query finds already tracked are not materialised again: they count in the query that loaded them.
/// Projections that select scalar columns (<c>Select(u => u.Email)</c>) materialise no entity and are not seen here.
/// </remarks>
internal sealed class EntityAccessInterceptor : DbCommandInterceptor, IMaterializationInterceptor
{
    private static readonly Requester Nobody = new("unknown", Region.Unknown);

    private readonly IAccessAuditor _auditor;
    private readonly AccessPolicy _policy;
    private readonly IClock _clock;
    private readonly IRequesterAccessor? _requesters;
    private readonly EntityAuditOptions _options;
    private readonly Region? _defaultRegion;
    private readonly Region? _storedIn;
    private readonly ConcurrentDictionary<Type, EntityShape?> _shapes = new();
    private readonly ConditionalWeakTable<DbContext, Dictionary<(EntityShape, Region), QueryAccess>> _queries = new();

    public EntityAccessInterceptor(IAccessAuditor auditor, AccessPolicy policy, IClock clock, IRequesterAccessor? requesters, EntityAuditOptions options)
    {
        _auditor = auditor;
        _policy = policy;
        _clock = clock;
        _requesters = requesters;
        _options = options;
        _defaultRegion = Parse(options.DefaultDataRegion, nameof(options.DefaultDataRegion), allowUnknown: false);
        _storedIn = Parse(options.StoredIn, nameof(options.StoredIn), allowUnknown: true);
        if (string.IsNullOrWhiteSpace(options.Action))
        {
            throw new ArgumentException("EntityAuditOptions.Action is empty: expected a verb such as read.", nameof(options));
        }
    }

    public object InitializedInstance(MaterializationInterceptionData materializationData, object entity)
    {
        var type = entity.GetType();
        if (!_shapes.TryGetValue(type, out var shape))
        {
            shape = _shapes.GetOrAdd(type, ShapeOf(type));
        }

        if (shape is null || materializationData.Context is not { } context)
        {
            return entity;
        }

        var region = shape.HomeRegionOf(entity);
        var accesses = _queries.GetValue(context, static _ => []);
        if (!accesses.TryGetValue((shape, region), out var access))
        {
            var first = Event(shape, region, subjects: 1);
            var decision = _policy.Evaluate(first);
            if (decision.IsDenied)
            {
                // Refused before this row reaches the caller; the rest of the query is abandoned with it.
                _auditor.Record(first);
                throw new AccessDeniedException(first, decision);
            }

            access = new QueryAccess(first);
            accesses.Add((shape, region), access);
        }

        access.Add(shape.SubjectOf(entity));
        return entity;
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        if (eventData.Context is { } context && _queries.TryGetValue(context, out var accesses) && accesses.Count > 0)
        {
            foreach (var ((shape, _), access) in accesses)
            {
                var first = access.First;
                _auditor.Record(new AccessEvent(first.Id, first.Time, first.Requester, first.Resource, first.Action)
                {
                    SubjectKeys = shape.HasSubjectKey && _options.SubjectPseudonym is { } pseudonym ? access.Pseudonyms(pseudonym) : [],
                    Subjects = Math.Max(1, access.Subjects),
                    Purpose = first.Purpose,
                    TraceId = first.TraceId,
                });
            }

            accesses.Clear();
        }

        return result;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Entity types are kept by the EF Core model that materialises them; only their public properties are read.")]
    private EntityShape? ShapeOf(Type type) => EntityShape.Of(type, _policy.Taxonomy, _defaultRegion);

    private AccessEvent Event(EntityShape shape, Region region, int subjects)
    {
        var now = _clock.GetCurrentInstant();
        var resource = new AccessedResource(shape.Name, shape.Category, region) { Type = shape.Name, StoredIn = _storedIn };
        return new AccessEvent(AccessEventId.New(now), now, _requesters?.Requester ?? _options.Requester ?? Nobody, resource, _options.Action)
        {
            Subjects = subjects,
            Purpose = _options.Purpose,
            TraceId = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : null,
        };
    }

    private static Region? Parse(string? code, string name, bool allowUnknown) =>
        code is null ? null
        : Region.TryParse(code, out var region) && (allowUnknown || !region.IsUnknown) ? region
        : throw new ArgumentException($"EntityAuditOptions.{name} is \"{code}\": expected an ISO 3166-1 alpha-2 code such as US.", nameof(code));
}
