using DataAccessAudit.Policy;
using DataAccessAudit.PostgreSql.Schema;
using DataAccessAudit.PostgreSql.Writing;
using DataAccessAudit.Regions;
using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Aggregation;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace DataAccessAudit.PostgreSql.Reporting;

// access-report/1 computed in the database: each table of the report is one GROUP BY over the events of the
// period, and only the groups come back. What depends on the policy (which categories are protected, which storage
// lies outside a home jurisdiction) is applied here to the few groups, and the groups become rows through ReportRows
// as AccessReportBuilder's counts do, so both give the same report for the same events.
//
// Every statement reads the one records table, joins nothing, uses no sequence, window or GROUPING SETS: each is
// either pushed down whole to the shards of a distributed table or aggregated in two stages (see docs/scaling.md).
internal sealed class SqlReportQuery
{
    // The columns of an AccessCounts, in its order; CountsAt reads them back.
    private const string Counts =
        "count(*), count(*) FILTER (WHERE cross_border), count(*) FILTER (WHERE outcome = 'flagged'), " +
        "count(*) FILTER (WHERE outcome = 'denied'), count(*) FILTER (WHERE outcome = 'approved')";

    private readonly StoreSchema _schema;
    private readonly AccessReportOptions _options;
    private readonly AccessPolicy _policy;
    private readonly DateTime? _from;
    private readonly DateTime? _to;

    // The condition on an event's time that its local date in the zone lies from 0001-01-01 to 9999-12-31, the dates a
    // report can place it on (as AccessReportBuilder.CanPlace): literal instants, or TRUE when every storable time does.
    private readonly string _placeable;

    public SqlReportQuery(StoreSchema schema, AccessReportOptions options)
    {
        _schema = schema;
        _options = options;
        _policy = options.Policy;
        _from = options.Period.FromInstant is { } from ? StoreTime.ToDateTime(from) : null;
        _to = options.Period.ToInstant is { } to ? StoreTime.ToDateTime(to) : null;
        var zone = options.Period.TimeZone;
        var placeFrom = StoreTime.ToDateTime(ReportPeriod.StartOf(ReportPeriod.MinDate, zone));
        var placeTo = ReportPeriod.EndOf(ReportPeriod.MaxDate, zone) is { } end ? StoreTime.ToDateTime(end) : null;
        _placeable = (placeFrom, placeTo) switch
        {
            (null, null) => "TRUE",
            ({ } f, null) => $"time >= {Literal(f)}",
            (null, { } t) => $"time < {Literal(t)}",
            ({ } f, { } t) => $"time >= {Literal(f)} AND time < {Literal(t)}",
        };
    }

    // The events of the period: $1 and $2 are the period's bounds (null when open).
    private string Events => $"FROM {_schema.Records} WHERE type = 'event' AND time IS NOT NULL AND {_placeable} " +
        "AND ($1::timestamptz IS NULL OR time >= $1) AND ($2::timestamptz IS NULL OR time < $2)";

    // Every statement the report runs, for the test that checks they distribute.
    internal IReadOnlyList<string> Statements =>
    [
        Undecided, Totals, Outside, DecidedBy, Findings, Pairs, Categories, Residency, Daily, Requesters, RequesterRegions, TypesSeen, NeedingAction, Unplaceable,
    ];

    private string Undecided => $"SELECT EXISTS (SELECT 1 FROM {_schema.Records} WHERE type = 'event' AND outcome IS NULL)";

    // Sums of subjects as text: PostgreSQL sums bigints exactly as numeric, which can pass what a bigint (or a long) holds.
    private string Totals => $"SELECT {Counts}, coalesce(sum(subjects), 0)::text, min(time), max(time) {Events}";

    // The events the store holds outside the period, which a report with an empty period mentions.
    // An event no report can place on a day is an input problem instead (Unplaceable), whatever the period.
    private string Outside => $"SELECT count(*) FROM {_schema.Records} WHERE type = 'event' " +
        $"AND (time IS NULL OR ({_placeable} AND (time < coalesce($1::timestamptz, '-infinity') OR time >= coalesce($2::timestamptz, 'infinity'))))";

    // The events whose local date no report can show: each is an input problem, in the order a streamed report reads
    // them (by instance, then sequence), worded by the builder they are handed to.
    private string Unplaceable => $"SELECT record::text FROM {_schema.Records} WHERE type = 'event' AND time IS NOT NULL AND NOT ({_placeable}) " +
        "ORDER BY instance_id, seq";

    // The policies the recorded decisions name (NULL for one naming none; the last when the member repeats, as
    // json's operators and the event readers agree). The query runs only when every event carries its decision, so
    // the report's own policy evaluated none.
    private string DecidedBy => $"SELECT record -> 'decision' ->> 'policy', count(*) {Events} GROUP BY 1";

    private string Findings => $"SELECT finding, count(*) FROM (SELECT unnest(findings) AS finding {Events}) AS f GROUP BY finding";

    private string Pairs => $"SELECT requester_region, data_region, {Counts} {Events} GROUP BY requester_region, data_region";

    private string Categories => $"SELECT category, {Counts} {Events} GROUP BY category";

    private string Residency => $"SELECT category, data_region, stored_in, count(*) {Events} AND stored_in IS NOT NULL GROUP BY category, data_region, stored_in";

    // $3: the start of each zone interval met by the period's events, $4: its wall offset in microseconds, $5: the
    // day no instant of it lies before. The day is computed as LocalDayCalendar does: the later of
    // floor((instant + offset) / one day) and that floor (after clocks go back across midnight, the later date has
    // begun).
    private string Daily => $"""
        SELECT day, {Counts} FROM (
            SELECT greatest(floor((((extract(epoch FROM time) * 1000000)::bigint + ($4::bigint[])[width_bucket(time, $3::timestamptz[])])::numeric) / 86400000000)::bigint,
                            ($5::bigint[])[width_bucket(time, $3::timestamptz[])])::integer AS day,
                   cross_border, outcome
            {Events}) AS d
        GROUP BY day
        """;

    // $3: the protected categories.
    private string Requesters => $"""
        SELECT requester_id, {Counts}, coalesce(sum(subjects), 0)::text,
               count(DISTINCT resource_id) FILTER (WHERE category = ANY($3)),
               count(DISTINCT resource_type) FILTER (WHERE category = ANY($3))
        {Events} GROUP BY requester_id
        """;

    private string RequesterRegions => $"SELECT requester_id, requester_region, count(*) {Events} GROUP BY requester_id, requester_region";

    // The accesses needing action are listed one by one (needing-action.csv holds them all), so their records come
    // back; the report's builder orders them, as for a file, keeping only the first ones in memory. So do the accesses
    // that carry an approval: the builder tells which approver and requester used it, and which were outside its window.
    private string NeedingAction => $"SELECT record::text {Events} AND (outcome IN ('flagged', 'denied') OR json_typeof(record -> 'approval') = 'object')";

    private string TypesSeen => $"SELECT count(DISTINCT resource_type) {Events} AND category = ANY($3)";

    public async Task<bool> HasUndecidedEventsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Undecided, connection);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    public async Task<AccessReport> RunAsync(NpgsqlConnection connection, ReportIntegrity integrity, ReportSource? source, CancellationToken cancellationToken)
    {
        // One snapshot for all statements: writers going on meanwhile cannot make the tables disagree.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

        ReportTotals totals = new(default, 0);
        DateTime? first = null;
        DateTime? last = null;
        await foreach (var row in QueryAsync(connection, Totals, cancellationToken).ConfigureAwait(false))
        {
            totals = new ReportTotals(CountsAt(row, 0), SumOf(row, 5));
            first = row.IsDBNull(6) ? null : row.GetDateTime(6);
            last = row.IsDBNull(7) ? null : row.GetDateTime(7);
        }

        long outside = 0;
        await foreach (var row in QueryAsync(connection, Outside, cancellationToken).ConfigureAwait(false))
        {
            outside = row.GetInt64(0);
        }

        var recorded = new List<RecordedPolicyCount>();
        await foreach (var row in QueryAsync(connection, DecidedBy, cancellationToken).ConfigureAwait(false))
        {
            recorded.Add(new RecordedPolicyCount(row.IsDBNull(0) ? null : row.GetString(0), row.GetInt64(1)));
        }

        var findings = new List<FindingCount>();
        await foreach (var row in QueryAsync(connection, Findings, cancellationToken).ConfigureAwait(false))
        {
            findings.Add(new FindingCount(row.GetString(0), row.GetInt64(1)));
        }

        var pairs = new List<RegionPairCount>();
        await foreach (var row in QueryAsync(connection, Pairs, cancellationToken).ConfigureAwait(false))
        {
            var requester = Region.Parse(row.GetString(0));
            var data = Region.Parse(row.GetString(1));
            pairs.Add(new RegionPairCount(requester, data, CountsAt(row, 2)));
        }

        var categories = new List<CategoryCount>();
        var protectedCategories = new List<string>();
        await foreach (var row in QueryAsync(connection, Categories, cancellationToken).ConfigureAwait(false))
        {
            var name = row.GetString(0);
            categories.Add(new CategoryCount(name, CountsAt(row, 1)));
            if (ReportRows.IsProtected(_policy, name))
            {
                protectedCategories.Add(name);
            }
        }

        var residency = new Dictionary<Region, long>();
        await foreach (var row in QueryAsync(connection, Residency, cancellationToken).ConfigureAwait(false))
        {
            var storedIn = Region.Parse(row.GetString(2));
            if (ReportRows.IsProtected(_policy, row.GetString(0)) && _policy.IsStoredOutsideHome(Region.Parse(row.GetString(1)), storedIn))
            {
                residency[storedIn] = residency.GetValueOrDefault(storedIn) + row.GetInt64(3);
            }
        }

        var days = new Dictionary<int, AccessCounts>();
        if (first is { } firstTime && last is { } lastTime)
        {
            var (starts, offsets, floors) = ZoneIntervals(StoreTime.ToInstant(firstTime), StoreTime.ToInstant(lastTime));
            await foreach (var row in QueryAsync(connection, Daily, cancellationToken, starts, offsets, floors).ConfigureAwait(false))
            {
                days[row.GetInt32(0)] = CountsAt(row, 1);
            }
        }

        var protectedArray = protectedCategories.ToArray();
        var tallies = new Dictionary<string, (AccessCounts Counts, Int128 Subjects, long Resources, int Types)>(StringComparer.Ordinal);
        await foreach (var row in QueryAsync(connection, Requesters, cancellationToken, (object)protectedArray).ConfigureAwait(false))
        {
            tallies[row.GetString(0)] = (CountsAt(row, 1), SumOf(row, 6), row.GetInt64(7), (int)row.GetInt64(8));
        }

        var regions = new Dictionary<string, (Region Region, long Count)>(StringComparer.Ordinal);
        await foreach (var row in QueryAsync(connection, RequesterRegions, cancellationToken).ConfigureAwait(false))
        {
            var id = row.GetString(0);
            var region = Region.Parse(row.GetString(1));
            var count = row.GetInt64(2);
            if (!regions.TryGetValue(id, out var best) || count > best.Count || (count == best.Count && string.CompareOrdinal(region.Code, best.Region.Code) < 0))
            {
                regions[id] = (region, count);
            }
        }

        long typesSeen = 0;
        await foreach (var row in QueryAsync(connection, TypesSeen, cancellationToken, (object)protectedArray).ConfigureAwait(false))
        {
            typesSeen = row.GetInt64(0);
        }

        using var needingAction = new AccessReportBuilder(_options);
        await foreach (var row in QueryAsync(connection, NeedingAction, cancellationToken).ConfigureAwait(false))
        {
            if (PostgreSqlAuditStore.TryReadEvent(row.GetString(0), out var record, out _))
            {
                needingAction.Add(record);
            }
        }

        await foreach (var row in QueryAsync(connection, Unplaceable, cancellationToken).ConfigureAwait(false))
        {
            if (PostgreSqlAuditStore.TryReadEvent(row.GetString(0), out var record, out _))
            {
                needingAction.Add(record);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var listed = needingAction.Build(ReportIntegrity.Unverified);

        var requesters = tallies
            .Select(t => new RequesterSummary(t.Key, regions[t.Key].Region, t.Value.Counts, t.Value.Resources, t.Value.Types, t.Value.Subjects, BroadAccess: false))
            .ToList();

        return new AccessReport(
            _policy.Id,
            _options.Period,
            totals,
            ReportRows.Findings(findings),
            ReportRows.Pairs(pairs),
            ReportRows.Categories(categories),
            ReportRows.Requesters(requesters, typesSeen),
            ReportRows.Residency(residency.Select(r => new ResidencyCount(r.Key, r.Value))),
            ReportRows.Daily(_options.Period, days),
            integrity,
            listed.InputProblems,
            listed.InputProblemCount)
        {
            EventsOutsidePeriod = outside,
            Source = source,
            NeedingAction = listed.NeedingAction,
            Approvals = listed.Approvals,
            DecidedBy = new ReportDecisions(ReportRows.RecordedPolicies(recorded), evaluated: 0),
        };
    }

    // The zone intervals from the first to the last event: their starts (the first clipped to the first event), wall
    // offsets in microseconds and floor days (LocalDayCalendar.FloorDayOf).
    private (DateTime[] Starts, long[] Offsets, long[] Floors) ZoneIntervals(Instant first, Instant last)
    {
        var starts = new List<DateTime>();
        var offsets = new List<long>();
        var floors = new List<long>();
        var at = first;
        while (true)
        {
            var interval = _options.Period.TimeZone.GetZoneInterval(at);
            starts.Add(StoreTime.ToDateTime(at)!.Value);
            offsets.Add(interval.WallOffset.Ticks / 10);
            floors.Add(LocalDayCalendar.FloorDayOf(_options.Period.TimeZone, interval));
            if (!interval.HasEnd || interval.End > last || StoreTime.ToDateTime(interval.End) is null)
            {
                break;
            }

            at = interval.End;
        }

        return ([.. starts], [.. offsets], [.. floors]);
    }

    // A UTC instant as an SQL timestamptz literal, to the microsecond.
    private static string Literal(DateTime utc) =>
        "'" + utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) + "'::timestamptz";

    // The columns that Counts selects, from the given one on.
    private static AccessCounts CountsAt(NpgsqlDataReader row, int column) =>
        new(row.GetInt64(column), row.GetInt64(column + 1), row.GetInt64(column + 2), row.GetInt64(column + 3), row.GetInt64(column + 4));

    private static Int128 SumOf(NpgsqlDataReader row, int column) =>
        Int128.Parse(row.GetString(column), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);

    private async IAsyncEnumerable<NpgsqlDataReader> QueryAsync(NpgsqlConnection connection, string sql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, params object[] extra)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 0;
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)_from ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)_to ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        foreach (var value in extra)
        {
            command.Parameters.Add(value switch
            {
                DateTime[] times => new NpgsqlParameter { Value = times, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                long[] numbers => new NpgsqlParameter { Value = numbers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                string[] names => new NpgsqlParameter { Value = names, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return reader;
        }
    }
}
