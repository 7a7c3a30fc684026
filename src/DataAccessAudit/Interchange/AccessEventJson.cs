using System.Buffers;
using System.Text.Json;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.Interchange;

/// <summary>
/// Reads and writes one <c>access-event/1</c> JSON object: the interchange format between this library,
/// the report generator and any other tool.
/// </summary>
public static class AccessEventJson
{
    /// <summary>The value of the <c>schema</c> field.</summary>
    public const string Schema = "access-event/1";

    private static readonly InstantPattern TimePattern = InstantPattern.ExtendedIso;

    /// <summary>Writes one event, with its decision if it has one, as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="record">The event and its decision.</param>
    public static void Write(Utf8JsonWriter writer, AccessRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record.Event);
        JsonSerializer.Serialize(writer, ToDocument(record), InterchangeJsonContext.Default.AccessEventDocument);
    }

    /// <summary>Writes one event as one line of JSON Lines: the object and a <c>\n</c>, in UTF-8.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="record">The event and its decision.</param>
    public static void WriteLine(IBufferWriter<byte> output, AccessRecord record)
    {
        ArgumentNullException.ThrowIfNull(output);
        using (var writer = new Utf8JsonWriter(output))
        {
            Write(writer, record);
        }

        output.Write("\n"u8);
    }

    /// <summary>Formats one event as a JSON string (without a line end).</summary>
    /// <param name="record">The event and its decision.</param>
    /// <returns>The JSON.</returns>
    public static string Format(AccessRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, record);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses one event from UTF-8 JSON.</summary>
    /// <param name="utf8Json">One JSON object.</param>
    /// <returns>The event, with the decision it carries if any.</returns>
    /// <exception cref="FormatException">The JSON is not a valid <c>access-event/1</c> object; the message says why.</exception>
    public static AccessRecord Parse(ReadOnlySpan<byte> utf8Json) =>
        TryParse(utf8Json, out var record, out var error) ? record : throw new FormatException(error);

    /// <summary>Parses one event from a JSON string.</summary>
    /// <param name="json">One JSON object.</param>
    /// <returns>The event, with the decision it carries if any.</returns>
    /// <exception cref="FormatException">The JSON is not a valid <c>access-event/1</c> object; the message says why.</exception>
    public static AccessRecord Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Tries to parse one event from UTF-8 JSON.</summary>
    /// <param name="utf8Json">One JSON object.</param>
    /// <param name="record">The event, with the decision it carries if any.</param>
    /// <param name="error">Why the JSON is not an event, naming the field and value; null on success.</param>
    /// <returns>True when the JSON is a valid event.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out AccessRecord record, out string? error)
    {
        record = default;
        AccessEventDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, InterchangeJsonContext.Default.AccessEventDocument);
        }
        catch (JsonException exception)
        {
            error = $"not valid JSON: {exception.Message}";
            return false;
        }

        if (document is null)
        {
            error = "expected a JSON object, found null";
            return false;
        }

        error = FromDocument(document, out record);
        return error is null;
    }

    private static AccessEventDocument ToDocument(AccessRecord record)
    {
        var e = record.Event;
        var document = new AccessEventDocument
        {
            Schema = Schema,
            Id = e.Id,
            Time = TimePattern.Format(e.Time),
            Requester = new RequesterDocument
            {
                Id = e.Requester.Id,
                Region = e.Requester.Region.Code,
                Organization = e.Requester.Organization,
                Roles = e.Requester.Roles.Count == 0 ? null : e.Requester.Roles,
            },
            Resource = new ResourceDocument
            {
                Id = e.Resource.Id,
                Type = e.Resource.Type,
                Category = e.Resource.Category.Name,
                Region = e.Resource.Region.Code,
                StoredIn = e.Resource.StoredIn?.Code,
            },
            Subjects = e.Subjects == 1 ? null : e.Subjects,
            Action = e.Action,
            Purpose = e.Purpose,
            TraceId = e.TraceId,
        };

        if (e.Approval is { } approval)
        {
            document.Approval = new ApprovalDocument
            {
                Id = approval.Id,
                ApprovedBy = approval.ApprovedBy,
                ValidFrom = approval.ValidFrom is { } from ? TimePattern.Format(from) : null,
                ValidUntil = approval.ValidUntil is { } until ? TimePattern.Format(until) : null,
            };
        }

        if (record.Decision is { } decision)
        {
            var findings = new string[decision.Findings.Count];
            var i = 0;
            foreach (var finding in decision.Findings)
            {
                findings[i++] = finding.Name;
            }

            document.Decision = new DecisionDocument
            {
                Outcome = OutcomeNames.Format(decision.Outcome),
                CrossBorder = decision.CrossBorder,
                Findings = findings,
                Policy = decision.Policy,
            };
        }

        return document;
    }

    private static string? FromDocument(AccessEventDocument d, out AccessRecord record)
    {
        record = default;
        if (d.Schema is null)
        {
            return "missing required field 'schema' (expected \"access-event/1\")";
        }

        if (!string.Equals(d.Schema, Schema, StringComparison.Ordinal))
        {
            return $"field 'schema' is \"{d.Schema}\"; expected \"{Schema}\"";
        }

        if (string.IsNullOrEmpty(d.Id))
        {
            return "missing required field 'id' (expected a non-empty string)";
        }

        if (d.Time is null)
        {
            return "missing required field 'time' (expected an ISO-8601 instant in UTC such as 2021-09-14T07:31:02Z)";
        }

        if (!TryParseInstant("time", d.Time, out var time, out var error))
        {
            return error;
        }

        if (d.Requester is null)
        {
            return "missing required field 'requester'";
        }

        if (string.IsNullOrEmpty(d.Requester.Id))
        {
            return "missing required field 'requester.id' (expected a non-empty string)";
        }

        var requesterRegion = Region.Unknown;
        if (d.Requester.Region is not null && !Region.TryParse(d.Requester.Region, out requesterRegion))
        {
            return $"field 'requester.region' is \"{d.Requester.Region}\": expected an ISO 3166-1 alpha-2 code, \"ZZ\" or null for unknown";
        }

        if (d.Resource is null)
        {
            return "missing required field 'resource'";
        }

        if (string.IsNullOrEmpty(d.Resource.Id))
        {
            return "missing required field 'resource.id' (expected a non-empty string)";
        }

        if (string.IsNullOrWhiteSpace(d.Resource.Category))
        {
            return "missing required field 'resource.category' (expected a category name such as \"protected\")";
        }

        if (d.Resource.Region is null)
        {
            return "missing required field 'resource.region' (expected an ISO 3166-1 alpha-2 code)";
        }

        if (!Region.TryParse(d.Resource.Region, out var dataRegion))
        {
            return $"field 'resource.region' is \"{d.Resource.Region}\": expected an ISO 3166-1 alpha-2 code";
        }

        Region? storedIn = null;
        if (d.Resource.StoredIn is not null)
        {
            if (!Region.TryParse(d.Resource.StoredIn, out var stored))
            {
                return $"field 'resource.storedIn' is \"{d.Resource.StoredIn}\": expected an ISO 3166-1 alpha-2 code";
            }

            storedIn = stored;
        }

        if (d.Subjects is < 1)
        {
            return $"field 'subjects' is {d.Subjects}: expected an integer >= 1";
        }

        if (string.IsNullOrEmpty(d.Action))
        {
            return "missing required field 'action' (expected a verb such as \"read\")";
        }

        Approval? approval = null;
        if (d.Approval is { } a)
        {
            if (string.IsNullOrEmpty(a.Id))
            {
                return "missing required field 'approval.id' (expected a non-empty string)";
            }

            Instant? from = null, until = null;
            if (a.ValidFrom is not null)
            {
                if (!TryParseInstant("approval.validFrom", a.ValidFrom, out var value, out error))
                {
                    return error;
                }

                from = value;
            }

            if (a.ValidUntil is not null)
            {
                if (!TryParseInstant("approval.validUntil", a.ValidUntil, out var value, out error))
                {
                    return error;
                }

                until = value;
            }

            approval = new Approval(a.Id) { ApprovedBy = a.ApprovedBy, ValidFrom = from, ValidUntil = until };
        }

        AccessDecision? decision = null;
        if (d.Decision is { } dd)
        {
            if (dd.Outcome is null || !OutcomeNames.TryParse(dd.Outcome, out var outcome))
            {
                return $"field 'decision.outcome' is {(dd.Outcome is null ? "missing" : $"\"{dd.Outcome}\"")}: expected allowed, approved, flagged or denied";
            }

            var findings = FindingSet.Empty;
            foreach (var name in dd.Findings ?? [])
            {
                if (string.IsNullOrWhiteSpace(name))
                {
                    return "field 'decision.findings' holds an empty name: expected finding names such as \"cross-border-protected-access\"";
                }

                findings = findings.Add(new Finding(name));
            }

            decision = new AccessDecision(outcome, dd.CrossBorder ?? false, findings, dd.Policy);
        }

        var requester = new Requester(d.Requester.Id, requesterRegion)
        {
            Organization = d.Requester.Organization,
            Roles = d.Requester.Roles ?? [],
        };
        var resource = new AccessedResource(d.Resource.Id, new DataCategory(d.Resource.Category), dataRegion)
        {
            Type = d.Resource.Type,
            StoredIn = storedIn,
        };
        var accessEvent = new AccessEvent(d.Id, time, requester, resource, d.Action)
        {
            Subjects = d.Subjects ?? 1,
            Purpose = d.Purpose,
            Approval = approval,
            TraceId = d.TraceId,
        };
        record = new AccessRecord(accessEvent, decision);
        return null;
    }

    private static bool TryParseInstant(string field, string text, out Instant instant, out string? error)
    {
        var result = TimePattern.Parse(text);
        if (result.Success)
        {
            instant = result.Value;
            error = null;
            return true;
        }

        instant = default;
        error = $"field '{field}' is \"{text}\": expected an ISO-8601 instant in UTC ending in Z, such as 2021-09-14T07:31:02Z";
        return false;
    }
}
