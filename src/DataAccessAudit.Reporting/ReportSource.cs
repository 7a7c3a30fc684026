using NodaTime;

namespace DataAccessAudit.Reporting;

/// <summary>
/// What a report was computed from, so that a report handed to an auditor can be tied to exactly its input: each input
/// file with its size and SHA-256, the durable log's last record (in <see cref="ReportIntegrity.Log"/>), the tool and
/// its version, and when the report was generated.
/// </summary>
/// <remarks>
/// Written as the additive <c>source</c> object of <c>access-report/1</c> and in the footer of the HTML page.
/// <see cref="GeneratedAt"/> is the only field that changes between two runs over the same input; a tool that honours
/// <c>SOURCE_DATE_EPOCH</c> there produces byte-identical reports.
/// </remarks>
public sealed class ReportSource
{
    /// <summary>Creates a description of a report's source.</summary>
    /// <param name="files">The plain input files, in the order read; empty for a log or a database.</param>
    /// <param name="tool">The program and its version, such as <c>access-report 0.1.0</c>.</param>
    /// <param name="generatedAt">When the report was generated.</param>
    public ReportSource(IReadOnlyList<ReportSourceFile> files, string tool, Instant generatedAt)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrWhiteSpace(tool);
        Files = files;
        Tool = tool;
        GeneratedAt = generatedAt;
    }

    /// <summary>Gets the plain input files, in the order read; empty when the input was a log or a database.</summary>
    public IReadOnlyList<ReportSourceFile> Files { get; }

    /// <summary>Gets the program that generated the report and its version.</summary>
    public string Tool { get; }

    /// <summary>Gets when the report was generated.</summary>
    public Instant GeneratedAt { get; }
}
