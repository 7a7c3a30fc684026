using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.ReportGenerator;

/// <summary>What one run of the report asks for, once the options are parsed and checked.</summary>
/// <remarks>The input is one of: <see cref="LogDirectory"/>, <see cref="EventFiles"/>, or <see cref="Postgres"/> (a
/// connection string) with <see cref="Schema"/>.</remarks>
internal sealed record ReportRequest(
    string? LogDirectory,
    IReadOnlyDictionary<string, byte[]>? LogKeys,
    IReadOnlyList<string> EventFiles,
    AccessReportOptions Options,
    ReportFormats Formats,
    string OutputDirectory,
    string? Postgres = null,
    string Schema = DataAccessAudit.PostgreSql.PostgreSqlStoreOptions.DefaultSchema);
