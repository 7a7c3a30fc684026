namespace DataAccessAudit.ReportGenerator;

/// <summary>A usage error or unreadable input: the command prints the message and exits with 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message) => Lines = [message];

    public UsageException(string message, Exception innerException)
        : base(message, innerException) => Lines = [message];

    /// <summary>
    /// A message of several lines, such as a headline and one line per problem. They are kept apart rather than joined
    /// so that each is escaped on its own when printed: the tool's line breaks stay, while a line break inside a value
    /// (a file name) is shown escaped and cannot start a line of its own.
    /// </summary>
    public UsageException(IReadOnlyList<string> lines, Exception innerException)
        : base(string.Join(Environment.NewLine, lines), innerException) => Lines = lines;

    public UsageException() => Lines = [Message];

    /// <summary>The lines of the message: one for most errors.</summary>
    public IReadOnlyList<string> Lines { get; }
}
