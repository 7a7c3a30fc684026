using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.ReportGenerator;

/// <summary>What one run of the report asks for, once the options are parsed and checked.</summary>
internal sealed record ReportRequest(
    string? LogDirectory,
    IReadOnlyDictionary<string, byte[]>? LogKeys,
    IReadOnlyList<string> EventFiles,
    AccessReportOptions Options,
    ReportFormats Formats,
    string OutputDirectory);
