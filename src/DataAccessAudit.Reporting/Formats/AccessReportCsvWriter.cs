using System.Globalization;
using DataAccessAudit.Interchange;
using NodaTime.Text;

namespace DataAccessAudit.Reporting.Formats;

/// <summary>
/// Writes a report's tables as CSV, one file per table: RFC 4180 (comma, CRLF, quotes doubled) with a header row, and
/// safe to open in a spreadsheet: a text cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c> (or their
/// full-width forms <c>＝＋－＠</c>, also after leading spaces or line breaks), tab or a line break is prefixed with a
/// single quote so it is never run as a formula, and a cell holding <c>,</c> or <c>;</c> (the separator Excel uses in
/// many locales), a quote or a line break is quoted.
/// </summary>
public static class AccessReportCsvWriter
{
    /// <summary>Gets every table, in the order reports list them.</summary>
    public static IReadOnlyList<ReportTable> Tables { get; } = Enum.GetValues<ReportTable>();

    /// <summary>Gets the file name of a table, such as <c>region-pairs.csv</c>.</summary>
    /// <param name="table">The table.</param>
    /// <returns>The file name.</returns>
    public static string FileNameOf(ReportTable table) => table switch
    {
        ReportTable.Totals => "totals.csv",
        ReportTable.Findings => "findings.csv",
        ReportTable.RegionPairs => "region-pairs.csv",
        ReportTable.Categories => "categories.csv",
        ReportTable.Requesters => "requesters.csv",
        ReportTable.Residency => "residency.csv",
        ReportTable.Daily => "daily.csv",
        ReportTable.Problems => "problems.csv",
        ReportTable.BulkThresholds => "bulk-thresholds.csv",
        ReportTable.NeedingAction => "needing-action.csv",
        ReportTable.Approvals => "approvals.csv",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Not a report table."),
    };

    /// <summary>Writes one table.</summary>
    /// <param name="writer">Where the text goes (UTF-8 recommended).</param>
    /// <param name="report">The report.</param>
    /// <param name="table">The table.</param>
    public static void Write(TextWriter writer, AccessReport report, ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        var csv = new Rows(writer);
        switch (table)
        {
            case ReportTable.Totals:
                csv.Names(CountFields.All).Text("subjectRecords").End();
                csv.Counts(report.Totals.Counts, CountFields.All).Number(report.Totals.Subjects).End();
                break;
            case ReportTable.Findings:
                csv.Header("finding", "events");
                foreach (var f in report.Findings)
                {
                    csv.Text(f.Finding).Number(f.Events).End();
                }

                break;
            case ReportTable.RegionPairs:
                csv.Text("requesterRegion").Text("dataRegion").Names(CountFields.All).End();
                foreach (var p in report.RegionPairs)
                {
                    csv.Text(p.RequesterRegion.Code).Text(p.DataRegion.Code).Counts(p.Counts, CountFields.Events).Text(p.CrossBorder ? "true" : "false")
                        .Counts(p.Counts, CountFields.Flagged | CountFields.Denied | CountFields.Approved).End();
                }

                break;
            case ReportTable.Categories:
                csv.Text("category").Names(CountFields.All).End();
                foreach (var c in report.Categories)
                {
                    csv.Text(c.Category).Counts(c.Counts, CountFields.All).End();
                }

                break;
            case ReportTable.Requesters:
                // Cross-border follows the outcomes here, as it was added after them.
                const CountFields outcomes = CountFields.Events | CountFields.Flagged | CountFields.Denied | CountFields.Approved;
                csv.Text("id").Text("region").Names(outcomes).Names(CountFields.CrossBorder)
                    .Text("protectedResources").Text("resourceTypes").Text("subjectRecords").Text("broadAccess").End();
                foreach (var r in report.Requesters)
                {
                    csv.Text(r.Id).Text(r.Region.Code).Counts(r.Counts, outcomes).Counts(r.Counts, CountFields.CrossBorder)
                        .Number(r.ProtectedResources).Number(r.ResourceTypes).Number(r.Subjects)
                        .Text(r.BroadAccess ? "true" : "false").End();
                }

                break;
            case ReportTable.Residency:
                csv.Header("storedIn", "protectedEvents");
                foreach (var r in report.Residency)
                {
                    csv.Text(r.StoredIn.Code).Number(r.ProtectedEvents).End();
                }

                break;
            case ReportTable.Daily:
                csv.Text("date").Names(CountFields.All).End();
                foreach (var d in report.Daily)
                {
                    csv.Text(LocalDatePattern.Iso.Format(d.Date)).Counts(d.Counts, CountFields.All).End();
                }

                break;
            case ReportTable.Problems:
                csv.Header("kind", "source", "line", "message");
                WriteProblems(csv, "integrity", report.Integrity.Problems);
                WriteProblems(csv, "input", report.InputProblems);
                break;
            case ReportTable.BulkThresholds:
                csv.Header("kind", "unit", "counterparty", "counterpartyType", "windowStart", "windowEnd", "distinctPersons", "basis", "relativeError", "threshold", "fraction", "crossed", "firstCrossed", "combinedWith", "topRequesters");
                foreach (var b in report.BulkThresholds)
                {
                    csv.Text(b.Kind).Text(BulkThresholdText.Unit(b.Unit)).Text(b.Counterparty?.Name ?? string.Empty).Text(BulkThresholdText.CounterpartyType(b) ?? string.Empty)
                        .Text(LocalDatePattern.Iso.Format(b.Window.Start)).Text(LocalDatePattern.Iso.Format(b.Window.End)).Number(b.DistinctPersons)
                        .Text(BulkThresholdText.Basis(b.Basis)).Text(b.RelativeError.ToString("R", CultureInfo.InvariantCulture)).Number(b.Threshold)
                        .Text(BulkThresholdText.Fraction(b)?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty).Text(b.Crossed ? "true" : "false")
                        .Text(b.FirstCrossed is { } first ? LocalDatePattern.Iso.Format(first) : string.Empty).Text(string.Join(";", b.CombinedWith))
                        .Text(string.Join(";", b.TopRequesters.Select(t => $"{t.RequesterId}={t.SubjectRecords}"))).End();
                }

                break;
            case ReportTable.NeedingAction:
                NeedingActionCsvRows.Write(writer, report);
                break;
            case ReportTable.Approvals:
                csv.Header("by", "name", "approvals", "accesses");
                foreach (var (by, rows) in new[] { ("approver", report.Approvals.ByApprover), ("requester", report.Approvals.ByRequester) })
                {
                    foreach (var row in rows)
                    {
                        csv.Text(by).Text(row.Name).Number(row.Approvals).Number(row.Accesses).End();
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(table), table, "Not a report table.");
        }
    }

    private static void WriteProblems(Rows csv, string kind, IReadOnlyList<InputProblem> problems)
    {
        foreach (var p in problems)
        {
            csv.Text(kind).Text(p.Source).Number(p.Line).Text(p.Message).End();
        }
    }

    // Writes fields separated by commas and rows ended by CRLF, as RFC 4180 asks.
    private sealed class Rows(TextWriter writer)
    {
        private bool _first = true;

        public void Header(params string[] names)
        {
            foreach (var name in names)
            {
                Text(name);
            }

            End();
        }

        // The headers of the chosen fields of a row's counts, in the fields' one order.
        public Rows Names(CountFields fields)
        {
            foreach (var field in CountField.Order)
            {
                if ((fields & field) != 0)
                {
                    Text(CountField.Name(field));
                }
            }

            return this;
        }

        // The chosen fields of a row's counts, in the fields' one order.
        public Rows Counts(in AccessCounts counts, CountFields fields)
        {
            foreach (var field in CountField.Order)
            {
                if ((fields & field) != 0)
                {
                    Number(CountField.ValueOf(counts, field));
                }
            }

            return this;
        }

        public Rows Text(string value)
        {
            Separate();
            CsvCell.Write(writer, value);
            return this;
        }

        public Rows Number(Int128 value)
        {
            Separate();
            writer.Write(value.ToString(CultureInfo.InvariantCulture));
            return this;
        }

        public void End()
        {
            writer.Write("\r\n");
            _first = true;
        }

        private void Separate()
        {
            if (!_first)
            {
                writer.Write(',');
            }

            _first = false;
        }
    }
}
