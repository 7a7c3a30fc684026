namespace DataAccessAudit.ReportGenerator;

/// <summary>The exit codes of access-report: a contract that scripts rely on.</summary>
internal static class ExitCodes
{
    /// <summary>The report was written; <c>verify</c>: the chain was checked and is intact (<c>verified</c>, or <c>verified-unkeyed</c> without <c>--require-key</c>).</summary>
    public const int Written = 0;

    /// <summary>
    /// <c>report --strict</c>: the report was written, but some input or integrity problem was found; <c>verify</c>:
    /// the log is broken, and only then.
    /// </summary>
    public const int ProblemsFound = 1;

    /// <summary>A usage error or unreadable input; nothing was written.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// <c>verify</c>: nothing was found broken, but the chain was not checked with a key: a key was not given
    /// (<c>unverified</c>), or, with <c>--require-key</c>, the chain is unkeyed (<c>verified-unkeyed</c>).
    /// </summary>
    public const int NotVerified = 3;
}
