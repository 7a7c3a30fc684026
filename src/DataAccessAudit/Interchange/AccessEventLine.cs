using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using DataAccessAudit.Policy;
using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.Interchange;

// Writes an access-event/1 object straight to a Utf8JsonWriter: the same bytes as AccessEventJson.Write (same
// member order, same omission of absent members, same escaping; a test holds them equal), without building the
// intermediate document. The background writer's largest cost per access was that document.
internal static class AccessEventLine
{
    private static readonly InstantPattern TimePattern = InstantPattern.ExtendedIso;

    // Names encoded once: the writer then copies them without checking whether they need escaping.
    private static readonly JsonEncodedText ActionName = JsonEncodedText.Encode("action");
    private static readonly JsonEncodedText ApprovalName = JsonEncodedText.Encode("approval");
    private static readonly JsonEncodedText ApprovedByName = JsonEncodedText.Encode("approvedBy");
    private static readonly JsonEncodedText CategoryName = JsonEncodedText.Encode("category");
    private static readonly JsonEncodedText CrossBorderName = JsonEncodedText.Encode("crossBorder");
    private static readonly JsonEncodedText DecisionName = JsonEncodedText.Encode("decision");
    private static readonly JsonEncodedText FindingsName = JsonEncodedText.Encode("findings");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText OrganizationName = JsonEncodedText.Encode("organization");
    private static readonly JsonEncodedText OutcomeName = JsonEncodedText.Encode("outcome");
    private static readonly JsonEncodedText PolicyName = JsonEncodedText.Encode("policy");
    private static readonly JsonEncodedText PurposeName = JsonEncodedText.Encode("purpose");
    private static readonly JsonEncodedText RegionName = JsonEncodedText.Encode("region");
    private static readonly JsonEncodedText RequesterName = JsonEncodedText.Encode("requester");
    private static readonly JsonEncodedText ResourceName = JsonEncodedText.Encode("resource");
    private static readonly JsonEncodedText RolesName = JsonEncodedText.Encode("roles");
    private static readonly JsonEncodedText SchemaName = JsonEncodedText.Encode("schema");
    private static readonly JsonEncodedText StoredInName = JsonEncodedText.Encode("storedIn");
    private static readonly JsonEncodedText SubjectsName = JsonEncodedText.Encode("subjects");
    private static readonly JsonEncodedText SubjectKeysName = JsonEncodedText.Encode("subjectKeys");
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText TraceIdName = JsonEncodedText.Encode("traceId");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText ValidFromName = JsonEncodedText.Encode("validFrom");
    private static readonly JsonEncodedText ValidUntilName = JsonEncodedText.Encode("validUntil");

    public static void Write(Utf8JsonWriter json, in AccessRecord record)
    {
        var e = record.Event;
        json.WriteStartObject();
        json.WriteString(SchemaName, AccessEventJson.Schema);
        json.WriteString(IdName, e.Id);
        WriteInstant(json, TimeName, e.Time);

        json.WriteStartObject(RequesterName);
        json.WriteString(IdName, e.Requester.Id);
        json.WriteString(RegionName, e.Requester.Region.Code);
        WriteOptional(json, OrganizationName, e.Requester.Organization);
        if (e.Requester.Roles.Count > 0)
        {
            json.WriteStartArray(RolesName);
            foreach (var role in e.Requester.Roles)
            {
                json.WriteStringValue(role);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();

        json.WriteStartObject(ResourceName);
        json.WriteString(IdName, e.Resource.Id);
        WriteOptional(json, TypeName, e.Resource.Type);
        json.WriteString(CategoryName, e.Resource.Category.Name);
        json.WriteString(RegionName, e.Resource.Region.Code);
        if (e.Resource.StoredIn is { } storedIn)
        {
            json.WriteString(StoredInName, storedIn.Code);
        }

        json.WriteEndObject();

        // Left out when a reader would assume it: the number of keys, or 1 without keys.
        var keys = e.SubjectKeys;
        if (e.Subjects != Math.Max(1, keys.Count))
        {
            json.WriteNumber(SubjectsName, e.Subjects);
        }

        if (keys.Count > 0)
        {
            json.WriteStartArray(SubjectKeysName);
            for (var i = 0; i < keys.Count; i++)
            {
                json.WriteStringValue(keys[i]);
            }

            json.WriteEndArray();
        }

        json.WriteString(ActionName, e.Action);
        WriteOptional(json, PurposeName, e.Purpose);
        if (e.Approval is { } approval)
        {
            json.WriteStartObject(ApprovalName);
            json.WriteString(IdName, approval.Id);
            WriteOptional(json, ApprovedByName, approval.ApprovedBy);
            if (approval.ValidFrom is { } from)
            {
                WriteInstant(json, ValidFromName, from);
            }

            if (approval.ValidUntil is { } until)
            {
                WriteInstant(json, ValidUntilName, until);
            }

            json.WriteEndObject();
        }

        WriteOptional(json, TraceIdName, e.TraceId);
        if (record.Decision is { } decision)
        {
            json.WriteStartObject(DecisionName);
            json.WriteString(OutcomeName, OutcomeNames.Format(decision.Outcome));
            json.WriteBoolean(CrossBorderName, decision.CrossBorder);
            json.WriteStartArray(FindingsName);
            foreach (var finding in decision.Findings)
            {
                json.WriteStringValue(finding.Name);
            }

            json.WriteEndArray();
            WriteOptional(json, PolicyName, decision.Policy);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    // ExtendedIso: seconds, then up to nine fraction digits with trailing zeros (and a bare point) trimmed, then Z.
    // Formatted without allocating when the instant fits a DateTime exactly; otherwise through the pattern.
    private static void WriteInstant(Utf8JsonWriter json, JsonEncodedText name, Instant instant)
    {
        var utc = instant.InUtc();
        if (utc.Year is >= 1 and <= 9999 && utc.NanosecondOfSecond % 100 == 0)
        {
            Span<byte> text = stackalloc byte[32];
            if (Utf8Formatter.TryFormat(utc.ToDateTimeUtc(), text, out var written, new StandardFormat('O')) && written == 28)
            {
                // yyyy-MM-ddTHH:mm:ss.fffffffZ
                var end = 27;
                while (end > 20 && text[end - 1] == (byte)'0')
                {
                    end--;
                }

                if (end == 20)
                {
                    end = 19;
                }

                text[end] = (byte)'Z';
                json.WriteString(name, text[..(end + 1)]);
                return;
            }
        }

        json.WriteString(name, TimePattern.Format(instant));
    }
}
