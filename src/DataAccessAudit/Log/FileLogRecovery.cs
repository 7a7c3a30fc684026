namespace DataAccessAudit.Log;

/// <summary>What opening the log recovered after a crash: a torn last line (or a segment holding no complete line) moved aside.</summary>
/// <param name="Segment">The segment that ended in a torn line.</param>
/// <param name="TornBytes">How many bytes were moved aside.</param>
/// <param name="MovedTo">The side file that now holds them.</param>
internal sealed record FileLogRecovery(string Segment, long TornBytes, string MovedTo);
