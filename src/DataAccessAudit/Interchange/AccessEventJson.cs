using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
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

    // Unknown fields are ignored at any nesting depth: the depth is bounded by the line, not by the reader.
    internal const int MaxDepth = int.MaxValue;

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
        if (!Utf8.IsValid(utf8Json))
        {
            error = "not valid UTF-8";
            return false;
        }

        AccessEventDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, InterchangeJsonContext.Default.AccessEventDocument);
        }
        catch (JsonException exception)
        {
            error = DescribeJsonError(utf8Json, exception);
            return false;
        }

        if (document is null)
        {
            error = "expected a JSON object, found null";
            return false;
        }

        try
        {
            error = FromDocument(document, out record);
        }
        catch (ArgumentException exception)
        {
            // A string the event types refuse (U+0000, which the JSON syntax allows escaped): the types own that rule,
            // and their message names the value and the character's index.
            error = GuardMessage.Of(exception);
        }

        return error is null;
    }

    // The serializer words a value of the wrong type with .NET type names; users get the field and the expected type
    // in words instead. Syntax errors keep the reader's message, which names the character and position.
    private static string DescribeJsonError(ReadOnlySpan<byte> utf8Json, JsonException exception)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        long? unpaired = null;
        try
        {
            while (reader.Read())
            {
                // An escaped surrogate without its pair ("\ud800") is valid JSON but no text: the serializer fails on
                // it as on a value of the wrong type, so the first such string is found here to say which it was.
                if (unpaired is null && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && !IsText(ref reader))
                {
                    unpaired = reader.TokenStartIndex;
                }
            }
        }
        catch (JsonException syntax)
        {
            return JsonSyntax.BytePositionOf(syntax) is { } position
                ? $"not valid JSON: {JsonSyntax.DescriptionOf(syntax)} (at {position})"
                : $"not valid JSON: {JsonSyntax.DescriptionOf(syntax)}";
        }

        var field = FieldOf(exception.Path);
        if (unpaired is { } at && exception.BytePositionInLine >= at)
        {
            return field.Length == 0
                ? "holds an escaped UTF-16 surrogate without its pair (\\uD800 to \\uDFFF alone): expected Unicode text"
                : $"field '{field}' holds an escaped UTF-16 surrogate without its pair (\\uD800 to \\uDFFF alone): expected Unicode text";
        }

        if (field.Length == 0)
        {
            return "expected a JSON object";
        }

        var expected = ExpectedTypeOf(field);
        return expected is null
            ? $"field '{field}' has the wrong JSON type"
            : $"field '{field}' has the wrong JSON type: expected {expected}";
    }

    private static bool IsText(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // "$.requester.roles[2]" -> "requester.roles"; "$" -> "".
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        return bracket >= 0 ? field[..bracket] : field;
    }

    private static string? ExpectedTypeOf(string field) => field switch
    {
        "schema" => "the string \"access-event/1\"",
        "id" or "requester.id" or "resource.id" or "resource.category" or "action" or "approval.id" => "a non-empty string",
        "time" or "approval.validFrom" or "approval.validUntil" => "a string holding an instant such as 2021-09-14T07:31:02Z",
        "requester" or "resource" or "approval" or "decision" => "an object",
        "requester.region" => "a string holding an ISO 3166-1 alpha-2 code, or null for unknown",
        "resource.region" or "resource.storedIn" => "a string holding an ISO 3166-1 alpha-2 code",
        "requester.organization" or "resource.type" or "purpose" or "traceId" or "approval.approvedBy" or "decision.policy"
            or "decision.outcome" => "a string",
        "requester.roles" or "decision.findings" => "an array of strings",
        "subjects" => SubjectsExpected,
        "subjectKeys" => SubjectKeysExpected,
        "decision.crossBorder" => "true or false",
        _ => null,
    };

    private const string SubjectsExpected = "an integer from 1 to 2^53-1";

    private const string SubjectKeysExpected = "an array of non-empty strings";

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
            Subjects = e.Subjects == DefaultSubjects(e) ? null : e.Subjects,
            SubjectKeys = e.SubjectKeys.Count == 0 ? null : e.SubjectKeys,
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

        if (!d.Requester.HasRegion)
        {
            return "missing required field 'requester.region' (expected an ISO 3166-1 alpha-2 code, or \"ZZ\" or null for unknown)";
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

        if (dataRegion.IsUnknown)
        {
            return $"field 'resource.region' is \"{d.Resource.Region}\": the home of the data must be known; expected an ISO 3166-1 alpha-2 code other than ZZ";
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

        if (d.Subjects is < 1 or > AccessEvent.MaxSubjects)
        {
            return $"field 'subjects' is {d.Subjects}: expected {SubjectsExpected}";
        }

        if (d.SubjectKeys is { } keys)
        {
            if (keys.Count == 0)
            {
                return $"field 'subjectKeys' is empty: expected {SubjectKeysExpected}, at least one (or the field left out)";
            }

            for (var i = 0; i < keys.Count; i++)
            {
                if (string.IsNullOrEmpty(keys[i]))
                {
                    return $"field 'subjectKeys[{i}]' is {(keys[i] is null ? "null" : "empty")}: expected {SubjectKeysExpected}";
                }
            }
        }

        if (d.Requester.Roles is { } roles && roles.Any(role => role is null))
        {
            return "field 'requester.roles' holds null: expected an array of strings";
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

            decision = new AccessDecision(outcome, dd.CrossBorder ?? false, findings, EventText.Check(dd.Policy, "decision.policy", "The decision's policy"));
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
            Subjects = d.Subjects ?? Math.Max(1, d.SubjectKeys?.Count ?? 0),
            SubjectKeys = d.SubjectKeys ?? [],
            Purpose = d.Purpose,
            Approval = approval,
            TraceId = d.TraceId,
        };
        record = new AccessRecord(accessEvent, decision);
        return null;
    }

    // What the writer leaves out: subjects equal to what a reader would assume from the keys (or 1 without keys).
    private static long DefaultSubjects(AccessEvent e) => Math.Max(1, e.SubjectKeys.Count);

    private static bool TryParseInstant(string field, string text, out Instant instant, out string? error)
    {
        if (InterchangeInstant.TryParse(text, out instant))
        {
            error = null;
            return true;
        }

        error = $"field '{field}' is \"{text}\": expected an ISO-8601 instant in UTC ending in Z, such as 2021-09-14T07:31:02Z "
            + "(years 0001 to 9999, hours 00 to 23, 1 to 9 fractional digits after a '.')";
        return false;
    }
}
