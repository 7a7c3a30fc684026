namespace DataAccessAudit.Reporting.Formats;

/// <summary>The formats a report can be written in; combine them as flags.</summary>
[Flags]
public enum ReportFormats
{
    /// <summary>No format.</summary>
    None = 0,

    /// <summary><c>report.html</c>: one self-contained page with charts.</summary>
    Html = 1,

    /// <summary><c>report.md</c>: Markdown for tickets.</summary>
    Markdown = 2,

    /// <summary>One CSV file per table.</summary>
    Csv = 4,

    /// <summary><c>report.json</c>: <c>access-report/1</c>.</summary>
    Json = 8,

    /// <summary>Every format.</summary>
    All = Html | Markdown | Csv | Json,
}
