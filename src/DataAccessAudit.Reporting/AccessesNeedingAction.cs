using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Aggregation;

namespace DataAccessAudit.Reporting;

/// <summary>
/// The accesses of a report that need action (every flagged or denied event in the period), most severe first: by
/// <see cref="ActionSeverity"/>, then newest first, then by event id (ordinal), so that the order is the same however
/// the events were read or split across cores.
/// </summary>
/// <remarks>
/// <para>
/// Only the first <see cref="AccessReportOptions.NeedingActionRows"/> are held in memory (<see cref="First"/>), for the
/// pages people read. The rest lie in sorted runs in temporary files, written while the events were counted and merged
/// when <see cref="ReadAll"/> is enumerated, so that millions of them never sit in memory and the full list
/// (<c>needing-action.csv</c>) is in exactly the order of the page. <see cref="Dispose"/> deletes the temporary files
/// (they are also deleted when the process ends).
/// </para>
/// <para>Each record carries the decision the report used: the recorded one, or the policy's when it was evaluated.</para>
/// </remarks>
public sealed class AccessesNeedingAction : IDisposable
{
    private readonly NeedingActionRuns? _runs;
    private readonly long[] _counts;

    internal AccessesNeedingAction(NeedingActionRuns? runs, IReadOnlyList<AccessRecord> first, long[] counts)
    {
        _runs = runs;
        First = first;
        _counts = counts;
        Count = counts.Sum();
    }

    /// <summary>Gets an empty list: nothing needs action.</summary>
    public static AccessesNeedingAction None { get; } = new(null, [], new long[NeedingActionRuns.SeverityCount]);

    // The collector behind the list, for writers that read its lines themselves; null when First is the whole list.
    internal NeedingActionRuns? Runs => _runs;

    /// <summary>Gets the first accesses in order, up to <see cref="AccessReportOptions.NeedingActionRows"/>.</summary>
    public IReadOnlyList<AccessRecord> First { get; }

    /// <summary>Gets how many accesses need action in all.</summary>
    public long Count { get; }

    /// <summary>Gets how many accesses of one severity need action.</summary>
    /// <param name="severity">The severity.</param>
    /// <returns>The count.</returns>
    public long CountOf(ActionSeverity severity)
    {
        var index = (int)severity;
        return index >= 0 && index < _counts.Length ? _counts[index] : throw new ArgumentOutOfRangeException(nameof(severity), severity, "Not a severity.");
    }

    /// <summary>Gets the severity of an access with its decision.</summary>
    /// <param name="record">The event and the decision the report used.</param>
    /// <returns>The severity.</returns>
    /// <exception cref="ArgumentException">The record has no decision.</exception>
    public static ActionSeverity SeverityOf(AccessRecord record)
    {
        if (record.Decision is not { } decision)
        {
            throw new ArgumentException("The record has no decision: the severity of an access follows from its decision.", nameof(record));
        }

        return NeedingActionOrder.SeverityOf(decision);
    }

    /// <summary>
    /// Reads every access needing action in order, merging the sorted runs from disk as it goes; memory stays bounded
    /// however many there are. Not thread-safe: enumerate one at a time.
    /// </summary>
    /// <returns>The accesses, most severe first.</returns>
    /// <exception cref="ObjectDisposedException">The list was disposed.</exception>
    /// <exception cref="IOException">
    /// An input file the accesses were counted from, which they are read back from, changed or cannot be read.
    /// </exception>
    public IEnumerable<AccessRecord> ReadAll() => _runs is null ? First : _runs.ReadAll();

    /// <summary>Deletes the temporary files that hold the list.</summary>
    public void Dispose() => _runs?.Delete();
}
