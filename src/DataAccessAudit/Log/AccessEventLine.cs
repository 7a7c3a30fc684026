using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using DataAccessAudit.Policy;
using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.Log;

// Writes an access-event/1 object straight to a Utf8JsonWriter: the same bytes as AccessEventJson.Write (same
// member order, same omission of absent members, same escaping; a test holds them equal), without building the
// intermediate document. The background writer's largest cost per access was that document.
internal static class AccessEventLine
{
    private static readonly InstantPattern TimePattern = InstantPattern.ExtendedIso;

    public static void Write(Utf8JsonWriter json, in AccessRecord record)
    {
        var e = record.Event;
        json.WriteStartObject();
        json.WriteString("schema"u8, Interchange.AccessEventJson.Schema);
        json.WriteString("id"u8, e.Id);
        WriteInstant(json, "time"u8, e.Time);

        json.WriteStartObject("requester"u8);
        json.WriteString("id"u8, e.Requester.Id);
        json.WriteString("region"u8, e.Requester.Region.Code);
        WriteOptional(json, "organization"u8, e.Requester.Organization);
        if (e.Requester.Roles.Count > 0)
        {
            json.WriteStartArray("roles"u8);
            foreach (var role in e.Requester.Roles)
            {
                json.WriteStringValue(role);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();

        json.WriteStartObject("resource"u8);
        json.WriteString("id"u8, e.Resource.Id);
        WriteOptional(json, "type"u8, e.Resource.Type);
        json.WriteString("category"u8, e.Resource.Category.Name);
        json.WriteString("region"u8, e.Resource.Region.Code);
        if (e.Resource.StoredIn is { } storedIn)
        {
            json.WriteString("storedIn"u8, storedIn.Code);
        }

        json.WriteEndObject();

        if (e.Subjects != 1)
        {
            json.WriteNumber("subjects"u8, e.Subjects);
        }

        json.WriteString("action"u8, e.Action);
        WriteOptional(json, "purpose"u8, e.Purpose);
        if (e.Approval is { } approval)
        {
            json.WriteStartObject("approval"u8);
            json.WriteString("id"u8, approval.Id);
            WriteOptional(json, "approvedBy"u8, approval.ApprovedBy);
            if (approval.ValidFrom is { } from)
            {
                WriteInstant(json, "validFrom"u8, from);
            }

            if (approval.ValidUntil is { } until)
            {
                WriteInstant(json, "validUntil"u8, until);
            }

            json.WriteEndObject();
        }

        WriteOptional(json, "traceId"u8, e.TraceId);
        if (record.Decision is { } decision)
        {
            json.WriteStartObject("decision"u8);
            json.WriteString("outcome"u8, OutcomeNames.Format(decision.Outcome));
            json.WriteBoolean("crossBorder"u8, decision.CrossBorder);
            json.WriteStartArray("findings"u8);
            foreach (var finding in decision.Findings)
            {
                json.WriteStringValue(finding.Name);
            }

            json.WriteEndArray();
            WriteOptional(json, "policy"u8, decision.Policy);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    // ExtendedIso: seconds, then up to nine fraction digits with trailing zeros (and a bare point) trimmed, then Z.
    // Formatted without allocating when the instant fits a DateTime exactly; otherwise through the pattern.
    private static void WriteInstant(Utf8JsonWriter json, ReadOnlySpan<byte> name, Instant instant)
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
