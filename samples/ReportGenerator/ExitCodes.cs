namespace DataAccessAudit.ReportGenerator;

/// <summary>The exit codes of access-report: a contract that scripts rely on.</summary>
internal static class ExitCodes
{
    /// <summary>The report was written; <c>verify</c>: the log is intact.</summary>
    public const int Written = 0;

    /// <summary>
    /// <c>report --strict</c>: the report was written, but some input or integrity problem was found; <c>verify</c>:
    /// the log is not intact.
    /// </summary>
    public const int ProblemsFound = 1;

    /// <summary>A usage error or unreadable input; nothing was written.</summary>
    public const int UsageError = 2;
}
