namespace DataAccessAudit.ReportGenerator;

/// <summary>A usage error or unreadable input: the command prints the message and exits with 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UsageException()
    {
    }
}
