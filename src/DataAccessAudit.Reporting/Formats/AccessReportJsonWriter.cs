using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using DataAccessAudit.Interchange;
using NodaTime.Text;

namespace DataAccessAudit.Reporting.Formats;

/// <summary>Writes a report as <c>access-report/1</c> JSON, the machine-readable contract beside the human formats.</summary>
/// <remarks>
/// Fields appear in the order of the specification. Besides its fields, rows carry <c>denied</c> and <c>approved</c>
/// counts (and requesters <c>crossBorder</c>): additions the specification allows.
/// </remarks>
public static partial class AccessReportJsonWriter
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,

        // Ids and messages are written as they are (no \u003C for '<'): the file is data, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // How many written bytes the writer holds before it hands them to its output.
    private const int FlushThreshold = 64 * 1024;

    /// <summary>Writes the report to a stream as indented UTF-8 JSON.</summary>
    /// <param name="stream">Where the bytes go.</param>
    /// <param name="report">The report.</param>
    public static void Write(Stream stream, AccessReport report)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(report);
        using var writer = new Utf8JsonWriter(stream, Indented);
        Write(writer, report);
        writer.Flush();
        stream.Write("\n"u8);
    }

    /// <summary>Formats the report as an indented JSON string.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON.</returns>
    public static string Format(AccessReport report)
    {
        using var stream = new MemoryStream();
        Write(stream, report);
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>Writes the report as one JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="report">The report.</param>
    public static void Write(Utf8JsonWriter writer, AccessReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        writer.WriteStartObject();
        writer.WriteString("schema", AccessReport.Schema);
        writer.WriteString("policy", report.Policy);

        var period = report.Period;
        writer.WriteStartObject("period");
        WriteNullable(writer, "from", period.From is { } from ? LocalDatePattern.Iso.Format(from) : null);
        WriteNullable(writer, "to", period.To is { } to ? LocalDatePattern.Iso.Format(to) : null);
        writer.WriteString("timeZone", period.TimeZone.Id);
        WriteNullable(writer, "fromInstant", period.FromInstant is { } fromInstant ? InstantPattern.General.Format(fromInstant) : null);
        WriteNullable(writer, "toInstant", period.ToInstant is { } toInstant ? InstantPattern.General.Format(toInstant) : null);
        writer.WriteEndObject();

        var t = report.Totals;
        writer.WriteStartObject("totals");
        WriteCounts(writer, t.Counts, CountFields.All);
        WriteCount(writer, "subjects", t.Subjects);
        writer.WriteEndObject();

        WriteObjects(writer, "findings", report.Findings, static (writer, f) =>
        {
            writer.WriteString("finding", f.Finding);
            writer.WriteNumber("events", f.Events);
        });

        WriteObjects(writer, "regionPairs", report.RegionPairs, static (writer, p) =>
        {
            writer.WriteString("requesterRegion", p.RequesterRegion.Code);
            writer.WriteString("dataRegion", p.DataRegion.Code);
            WriteCounts(writer, p.Counts, CountFields.Events);
            writer.WriteBoolean(CountField.Name(CountFields.CrossBorder), p.CrossBorder);
            WriteCounts(writer, p.Counts, CountFields.Flagged | CountFields.Denied | CountFields.Approved);
        });

        WriteObjects(writer, "categories", report.Categories, static (writer, c) =>
        {
            writer.WriteString("category", c.Category);
            WriteCounts(writer, c.Counts, CountFields.All);
        });

        WriteObjects(writer, "requesters", report.Requesters, static (writer, r) =>
        {
            writer.WriteString("id", r.Id);
            writer.WriteString("region", r.Region.Code);
            WriteCounts(writer, r.Counts, CountFields.Events | CountFields.Flagged);
            writer.WriteNumber("protectedResources", r.ProtectedResources);
            writer.WriteNumber("resourceTypes", r.ResourceTypes);
            WriteCount(writer, "subjects", r.Subjects);
            writer.WriteBoolean("broadAccess", r.BroadAccess);

            // The specification's members first; the counts it does not list follow, as they were added.
            WriteCounts(writer, r.Counts, CountFields.Denied | CountFields.Approved);
            WriteCounts(writer, r.Counts, CountFields.CrossBorder);
        });

        WriteObjects(writer, "residency", report.Residency, static (writer, r) =>
        {
            writer.WriteString("storedIn", r.StoredIn.Code);
            writer.WriteNumber("protectedEvents", r.ProtectedEvents);
        });

        WriteObjects(writer, "daily", report.Daily, static (writer, d) =>
        {
            writer.WriteString("date", LocalDatePattern.Iso.Format(d.Date));
            WriteCounts(writer, d.Counts, CountFields.All);
        });

        writer.WriteStartObject("integrity");
        writer.WriteString("status", report.Integrity.StatusName);
        writer.WriteString("summary", report.Integrity.Summary);
        WriteProblems(writer, "problems", report.Integrity.Problems);
        if (report.Integrity.Checkpoint is { } checkpoint)
        {
            writer.WriteStartObject("checkpoint");
            writer.WriteString("origin", checkpoint.Origin);
            writer.WriteNumber("treeSize", checkpoint.TreeSize);
            writer.WriteString("rootHash", Convert.ToBase64String(checkpoint.RootHash));
            writer.WriteStartArray("signers");
            foreach (var signer in report.Integrity.CheckpointSigners)
            {
                writer.WriteStringValue(signer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();

        WriteProblems(writer, "inputProblems", report.InputProblems);
        writer.WriteNumber("inputProblemCount", report.InputProblemCount);
        WriteDecidedBy(writer, report.DecidedBy);
        WriteBulkThresholds(writer, report.BulkThresholds);
        WriteNeedingAction(writer, report.NeedingAction);
        WriteApprovals(writer, report.Approvals);
        WriteSource(writer, report.Source, report.Integrity.Log, report.Integrity.StoreHeads);
        writer.WriteEndObject();
    }

    // Additive: what the report was computed from. The log's state, or the store's heads, come from the integrity its
    // reader stated.
    private static void WriteSource(Utf8JsonWriter writer, ReportSource? source, ReportLogState? log, ReportStoreHeads? heads)
    {
        if (source is null && log is null && heads is null)
        {
            return;
        }

        writer.WriteStartObject("source");
        if (source is not null)
        {
            WriteObjects(writer, "files", source.Files, static (writer, file) =>
            {
                writer.WriteString("name", file.Name);
                writer.WriteNumber("size", file.Size);
                writer.WriteString("sha256", file.Sha256);
            });
        }

        if (log is not null)
        {
            writer.WriteStartObject("log");
            writer.WriteString("directory", log.Directory);
            writer.WriteNumber("lastSequence", log.LastSequence);
            writer.WriteString("lastChain", log.LastChain);
            writer.WriteEndObject();
        }

        if (heads is not null)
        {
            // The members of an access-store-heads/1 head, so that a kept copy compares with what verify --postgres saves.
            writer.WriteStartObject("postgres");
            writer.WriteString("schema", heads.Schema);
            WriteObjects(writer, "instances", heads.Instances, static (writer, head) =>
            {
                writer.WriteString("instanceId", head.InstanceId);
                writer.WriteNumber("lastSequence", head.LastSequence);
                writer.WriteString("lastChain", head.LastChain);
            });
            writer.WriteEndObject();
        }

        if (source is not null)
        {
            writer.WriteString("tool", source.Tool);
            writer.WriteString("generatedAt", InstantPattern.General.Format(source.GeneratedAt));
        }

        writer.WriteEndObject();
    }

    private static void WriteProblems(Utf8JsonWriter writer, string name, IReadOnlyList<InputProblem> problems) =>
        WriteObjects(writer, name, problems, static (writer, p) =>
        {
            writer.WriteString("source", p.Source);
            writer.WriteNumber("line", p.Line);
            writer.WriteString("message", p.Message);
        });

    // An array of objects, one a row, whose members are written by the given (static) method. The written rows go to
    // the output whenever FlushThreshold bytes are pending: a report of millions of requesters would otherwise hold
    // the whole document (hundreds of MB) in the writer's buffer beside the rows it is written from.
    private static void WriteObjects<T>(Utf8JsonWriter writer, string name, IReadOnlyList<T> rows, Action<Utf8JsonWriter, T> members)
    {
        writer.WriteStartArray(name);
        for (var i = 0; i < rows.Count; i++)
        {
            writer.WriteStartObject();
            members(writer, rows[i]);
            writer.WriteEndObject();
            if (writer.BytesPending >= FlushThreshold)
            {
                writer.Flush();
            }
        }

        writer.WriteEndArray();
    }

    // The chosen fields of a row's counts as number members, in the fields' one order.
    private static void WriteCounts(Utf8JsonWriter writer, in AccessCounts counts, CountFields fields)
    {
        foreach (var field in CountField.Order)
        {
            if ((fields & field) != 0)
            {
                writer.WriteNumber(CountField.Name(field), CountField.ValueOf(counts, field));
            }
        }
    }

    // A sum of subjects as the exact JSON integer it is, even past 2^63 (Utf8JsonWriter has no Int128 overload). A
    // reader that parses numbers as doubles loses precision past 2^53, as with any large count.
    private static void WriteCount(Utf8JsonWriter writer, string name, Int128 value)
    {
        Span<byte> digits = stackalloc byte[40];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        writer.WritePropertyName(name);
        writer.WriteRawValue(digits[..length], skipInputValidation: true);
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
