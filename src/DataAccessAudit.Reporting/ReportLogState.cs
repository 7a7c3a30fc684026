namespace DataAccessAudit.Reporting;

/// <summary>
/// The state of a durable log when a report was read from it: its last record's sequence number and chain value.
/// Whoever keeps these two values can later check that the log still ends the same way (or has only grown), which
/// ties the report to exactly the log it was computed from.
/// </summary>
public sealed class ReportLogState
{
    /// <summary>Creates the state of a log.</summary>
    /// <param name="directory">The log's directory, as given.</param>
    /// <param name="lastSequence">The last record's sequence number (0 for an empty log).</param>
    /// <param name="lastChain">The last record's chain value, as hexadecimal.</param>
    public ReportLogState(string directory, long lastSequence, string lastChain)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(lastSequence);
        ArgumentNullException.ThrowIfNull(lastChain);
        Directory = directory;
        LastSequence = lastSequence;
        LastChain = lastChain;
    }

    /// <summary>Gets the log's directory, as given.</summary>
    public string Directory { get; }

    /// <summary>Gets the last record's sequence number.</summary>
    public long LastSequence { get; }

    /// <summary>Gets the last record's chain value, as hexadecimal.</summary>
    public string LastChain { get; }
}
