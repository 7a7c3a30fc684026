using DataAccessAudit.Interchange;

namespace DataAccessAudit.Log;

/// <summary>The first place where a log is not intact: where, and what kind of break.</summary>
public sealed class LogBreak
{
    internal LogBreak(LogBreakKind kind, string segment, long line, long sequence, string message)
    {
        Kind = kind;
        Segment = segment;
        Line = line;
        Sequence = sequence;
        Message = message;
    }

    /// <summary>Gets the kind of break.</summary>
    public LogBreakKind Kind { get; }

    /// <summary>Gets the path of the segment file holding the break.</summary>
    public string Segment { get; }

    /// <summary>Gets the 1-based line of the segment where the break is seen.</summary>
    public long Line { get; }

    /// <summary>Gets the sequence number the log should have had at that place (the first one not verified).</summary>
    public long Sequence { get; }

    /// <summary>Gets what is wrong, in words.</summary>
    public string Message { get; }

    /// <summary>Gets the stable lower-case name of <see cref="Kind"/>: <c>modified</c>, <c>deleted</c>, <c>inserted</c>,
    /// <c>reordered</c>, <c>truncated</c>, <c>forged-without-key</c>, <c>wrong-key</c> or <c>missing-key</c> (also used by <c>verify_log.py</c>).</summary>
    public string KindName => Kind switch
    {
        LogBreakKind.Modified => "modified",
        LogBreakKind.Deleted => "deleted",
        LogBreakKind.Inserted => "inserted",
        LogBreakKind.Reordered => "reordered",
        LogBreakKind.Truncated => "truncated",
        LogBreakKind.ForgedWithoutKey => "forged-without-key",
        LogBreakKind.WrongKey => "wrong-key",
        _ => "missing-key",
    };

    /// <summary>Returns the break as an input problem, for readers that report problems that way.</summary>
    /// <returns>The problem, naming the segment and line.</returns>
    public InputProblem ToInputProblem() => new(Segment, Line, $"log integrity broken ({KindName}) at sequence {Sequence}: {Message}");

    /// <summary>Returns <c>segment:line: kind at sequence N: message</c>.</summary>
    /// <returns>The break in one line.</returns>
    public override string ToString() => $"{Segment}:{Line}: {KindName} at sequence {Sequence}: {Message}";
}
