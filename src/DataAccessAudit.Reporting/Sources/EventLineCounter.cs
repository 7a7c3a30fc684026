using System.Text.Json;
using DataAccessAudit.BulkData;
using DataAccessAudit.Classification;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Aggregation;
using NodaTime;

namespace DataAccessAudit.Reporting.Sources;

// The fast path of report reading: counts a line that AccessEventScanner takes, turning its strings into shared
// instances through caches (requester ids, categories and types repeat across millions of lines) and its resource id
// into a hash. A line without a recorded decision (or any line, when re-evaluating) is decided by the policy on the
// scanned fields, by the same rules as for a whole event. A line the scanner declines goes to the full parser, which
// gives the same result.
internal sealed class EventLineCounter
{
    private readonly AccessReportBuilder _builder;
    private readonly AccessPolicy _policy;
    private readonly bool _reevaluate;
    private readonly Utf8StringCache _strings = new();

    // Reused for the hashes of a line's subject keys.
    private ulong[] _keyHashes = new ulong[16];

    // The policy the last recorded decision named, and its bytes: lines in a row nearly always name the same one, so
    // comparing with it spares the cache's hashing on most lines.
    private byte[] _lastPolicyUtf8 = [];
    private string? _lastPolicy;

    public EventLineCounter(AccessReportBuilder builder)
    {
        _builder = builder;
        _policy = builder.Policy;
        _reevaluate = builder.Options.Reevaluate;
    }

    // True when the line was an event and was handled (counted, or outside the period); false when the full parser
    // must look at it.
    public bool TryCount(ReadOnlySpan<byte> line) => TryCount(line, string.Empty, -1);

    // The same for a line that lies at position in the input file source, which can be read again (-1: it cannot,
    // and an access needing action is kept as a copy of its line).
    public bool TryCount(ReadOnlySpan<byte> line, string source, long position)
    {
        if (!AccessEventScanner.TryScan(line, out var scanned))
        {
            return false;
        }

        var inPeriod = _builder.InPeriod(scanned.UnixTicks);
        var inBulkRange = _builder.InBulkRange(scanned.UnixTicks);
        var evaluate = _reevaluate || !scanned.HasDecision;

        // An approval counts only inside its window. An event in the same tick as a bound goes to the full parser,
        // which compares to the nanosecond.
        var window = ScannedApproval.WindowOf(in scanned);
        if (window == ApprovalWindow.SameTickAsABound && (inPeriod || (evaluate && inBulkRange)))
        {
            return false;
        }

        // A local date no report can show, whatever the period: the full path words it as a problem of the line.
        if (!_builder.CanPlace(scanned.UnixTicks))
        {
            return false;
        }

        if (!inPeriod)
        {
            _builder.CountOutsidePeriod();
        }

        if (!inPeriod && !inBulkRange)
        {
            return true;
        }

        var category = _strings.Get(line[scanned.Category]);
        var decision = NeedingActionDecision.InLine;
        if (evaluate)
        {
            var evaluated = _policy.EvaluateFields(scanned.RequesterRegion, new DataCategory(category), scanned.DataRegion, scanned.StoredIn, approved: window == ApprovalWindow.Inside);
            scanned.Outcome = evaluated.Outcome;
            scanned.CrossBorder = evaluated.CrossBorder;
            scanned.BuiltInFindings = evaluated.Findings.BuiltInBits; // the policy's findings are all built-in

            decision = NeedingActionDecision.Pack(scanned.Outcome, scanned.CrossBorder, scanned.BuiltInFindings);
        }

        // A requester's tally holds its id's string; one seen only before the period (for the bulk-data thresholds)
        // has no tally, and its id comes from the cache of other strings.
        var tally = inPeriod ? _builder.TallyOf(line[scanned.RequesterId]) : null;
        var access = new CountedAccess
        {
            UnixTicks = scanned.UnixTicks,
            RequesterId = tally?.Id ?? _strings.Get(line[scanned.RequesterId]),
            RequesterRegion = scanned.RequesterRegion,
            Category = category,
            DataRegion = scanned.DataRegion,
            StoredIn = scanned.StoredIn,
            ResourceHash = ResourceIdHash.Of(line[scanned.ResourceId]),
            Type = scanned.Type is { } type ? _strings.Get(line[type]) : null,
            Subjects = scanned.Subjects,
            Outcome = scanned.Outcome,
            CrossBorder = scanned.CrossBorder,
            BuiltInFindings = scanned.BuiltInFindings,
            Recorded = !evaluate,
            RecordedPolicy = inPeriod && !evaluate && scanned.DecisionPolicy is { } policy ? PolicyOf(line[policy]) : null,
        };

        var organization = scanned.Organization is { } org ? _strings.Get(line[org]) : null;
        if (inBulkRange && _builder.CountsTowardBulk(in access, organization))
        {
            _builder.CountBulk(in access, organization, scanned.SubjectKeys is { } keys ? HashKeys(line[keys], scanned.SubjectKeyCount) : default);
        }

        if (inPeriod)
        {
            access.Tally = tally;
            _builder.Count(in access);
            if (window is ApprovalWindow.Expired or ApprovalWindow.NotYetValid)
            {
                // Listed with the decision the report used, as the needing-action list keeps it; the exact time
                // orders the list (the scanner read it, so it parses).
                var time = InterchangeInstant.TryParse(line[scanned.Time], out Instant exact) ? exact : Instant.FromUnixTimeTicks(scanned.UnixTicks);
                _builder.CountApprovalOutsideWindow(time, line[scanned.Id], line, decision, expired: window == ApprovalWindow.Expired);
            }
            else if (access.Outcome == AccessOutcome.Approved && scanned.ApprovalId is { } approvalId)
            {
                _builder.CountApprovalUse(
                    scanned.ApprovedBy is { } approver ? _strings.Get(line[approver]) : string.Empty,
                    access.RequesterId,
                    _strings.Get(line[approvalId]));
            }

            // An access needing action is kept as its line (or where the line lies in a file that can be read again),
            // which holds everything the list shows, with the decision the report used when the line does not hold
            // it; it is parsed again only when the list is written.
            if (access.Outcome is AccessOutcome.Flagged or AccessOutcome.Denied)
            {
                var severity = NeedingActionOrder.SeverityOf(access.Outcome, access.BuiltInFindings);
                if (position >= 0)
                {
                    _builder.AddNeedingAction(severity, access.UnixTicks, scanned.SubTick, line[scanned.Id], line, decision, source, position);
                }
                else
                {
                    _builder.AddNeedingAction(severity, access.UnixTicks, scanned.SubTick, line[scanned.Id], line, decision);
                }
            }
        }

        return true;
    }

    // The string of a recorded decision's policy name, a shared instance.
    private string PolicyOf(ReadOnlySpan<byte> utf8)
    {
        if (_lastPolicy is null || !utf8.SequenceEqual(_lastPolicyUtf8))
        {
            var entry = _strings.GetEntry(utf8);
            _lastPolicyUtf8 = entry.Utf8;
            _lastPolicy = entry.Value;
        }

        return _lastPolicy;
    }

    // The hashes of the subject keys of an array the scanner validated (plain, non-empty strings).
    private ReadOnlySpan<ulong> HashKeys(ReadOnlySpan<byte> array, int count)
    {
        if (_keyHashes.Length < count)
        {
            _keyHashes = new ulong[Math.Max(count, 2 * _keyHashes.Length)];
        }

        var reader = new Utf8JsonReader(array, isFinalBlock: true, default);
        reader.Read();
        var n = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            _keyHashes[n++] = DistinctCountSketch.Hash(reader.ValueSpan);
        }

        return _keyHashes.AsSpan(0, n);
    }
}
