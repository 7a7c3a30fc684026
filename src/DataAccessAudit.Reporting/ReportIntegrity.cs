using DataAccessAudit.Interchange;
using DataAccessAudit.Transparency;

namespace DataAccessAudit.Reporting;

/// <summary>
/// What the source of a report's events says about their integrity: the status and the places where the chain is
/// not intact. The report engine never checks integrity itself; the reader of a chained log does, and hands the
/// result in here, so that a report always states how far its figures can be trusted.
/// </summary>
public sealed class ReportIntegrity
{
    // What a verified chain cannot show, stated wherever it is called verified, with the check that does show it for
    // each source: a file log's signed checkpoint, a store's heads kept earlier (a store has no checkpoints). One
    // sentence for both, so that the same events read from either store give the same report.
    private const string CutEnd =
        "Events cut off the end are detected only against a state kept earlier: a signed checkpoint of a file log (access-report verify --public-key), or the heads of a PostgreSQL store saved by access-report verify --postgres --save-heads (then --since).";

    private ReportIntegrity(IntegrityStatus status, IReadOnlyList<InputProblem> problems, ReportLogState? log = null)
    {
        Status = status;
        Problems = problems;
        Log = log;
    }

    /// <summary>Gets the integrity of a source without a chain, such as a plain JSON Lines file.</summary>
    public static ReportIntegrity Unverified { get; } = new(IntegrityStatus.Unverified, []);

    /// <summary>Gets the integrity of a source whose keyed chain was checked with its key and found intact.</summary>
    public static ReportIntegrity Verified { get; } = new(IntegrityStatus.Verified, []);

    /// <summary>Gets the integrity of a source whose chain was checked and found intact, but is unkeyed.</summary>
    public static ReportIntegrity VerifiedUnkeyed { get; } = new(IntegrityStatus.VerifiedUnkeyed, []);

    /// <summary>
    /// Gets the log's last signed checkpoint when the source is a log with a Merkle tree (<c>access-log/2</c>), or
    /// null: the report cites the log state it was computed from (its first <see cref="Checkpoint.TreeSize"/> records
    /// are the checkpoint's; newer ones may follow). The signature is checked by <c>access-report verify --public-key</c>,
    /// not here (a report has no public key).
    /// </summary>
    public Checkpoint? Checkpoint { get; private init; }

    /// <summary>Gets the names of the keys whose signature lines the checkpoint carries (the log's, then witnesses').</summary>
    public IReadOnlyList<string> CheckpointSigners { get; private init; } = [];

    /// <summary>Gets the status.</summary>
    public IntegrityStatus Status { get; }

    /// <summary>
    /// Gets where and why the chain is not intact, and the losses a log records about itself even when its chain is
    /// intact (accesses the recorder dropped, records removed by retention, a crash while writing); see
    /// <see cref="WithProblems"/>.
    /// </summary>
    public IReadOnlyList<InputProblem> Problems { get; }

    /// <summary>
    /// Gets the state of the durable log the report was read from (its last sequence number and chain value), or null
    /// when the source was not a log.
    /// </summary>
    public ReportLogState? Log { get; }

    // The heads of a store of several chains (the PostgreSQL store) the report was read from, or null.
    internal ReportStoreHeads? StoreHeads { get; private init; }

    /// <summary>
    /// Gets the stable lower-case name of the status: <c>verified</c>, <c>verified-unkeyed</c>, <c>unverified</c> or
    /// <c>broken</c> (<c>integrity.status</c> of <c>access-report/1</c>).
    /// </summary>
    public string StatusName => Status switch
    {
        IntegrityStatus.Verified => "verified",
        IntegrityStatus.VerifiedUnkeyed => "verified-unkeyed",
        IntegrityStatus.Broken => "broken",
        _ => "unverified",
    };

    /// <summary>
    /// Gets what the status means for the report's figures, in one sentence that every format shows beside it: in
    /// particular that an unkeyed chain is intact but detects accidents, not an editor.
    /// </summary>
    public string Summary => Status switch
    {
        // A verified chain proves nothing up to the last line read was altered or removed unnoticed; the log's own gap,
        // recovery and removal records still say what it never held, so the text must not claim completeness then. Nor
        // can a chain show lines deleted from its end: the last line left links as well as the one after it did.
        IntegrityStatus.Verified when Problems.Count > 0 =>
            "The log's keyed chain was checked: nothing up to the last event read was altered or removed unnoticed, but the log itself records the losses listed below. " + CutEnd,
        IntegrityStatus.Verified => "The log's keyed chain was checked: no event up to the last one read is missing or altered. " + CutEnd,
        IntegrityStatus.VerifiedUnkeyed =>
            "Chain intact, but unkeyed: it detects accidents, not an editor. Anyone who can edit the log's files can recompute its chain.",
        IntegrityStatus.Broken => "The log's chain is broken: events may be missing or altered. Treat the figures with care.",
        _ => "The input's chain was not checked (a plain file, or a keyed log read without its key), so nothing shows whether events are missing or altered.",
    };

    /// <summary>Creates the integrity of a source whose chain was checked and found broken.</summary>
    /// <param name="problems">Where and why the chain is not intact; at least one.</param>
    /// <returns>The integrity.</returns>
    /// <exception cref="ArgumentException"><paramref name="problems"/> is empty.</exception>
    public static ReportIntegrity Broken(IEnumerable<InputProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var list = problems.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A broken chain needs at least one problem saying where it breaks.", nameof(problems));
        }

        return new ReportIntegrity(IntegrityStatus.Broken, list.AsReadOnly());
    }

    /// <summary>
    /// The words of a chain not checked for want of its key, the same for every store's report: without keys, give
    /// them; with keys that lack the id, say so rather than ask for the keys just given, and say what an id no key was
    /// ever made for means.
    /// </summary>
    /// <param name="keyIds">The key ids the chain names that no key was given for.</param>
    /// <param name="keysGiven">Whether any keys were given.</param>
    /// <param name="held">What still holds without the key, such as "sequence numbers, segment order and headers".</param>
    /// <param name="edited">What an id no key was made for means, such as "a segment header was edited to name it".</param>
    internal static string UncheckedChain(IEnumerable<string> keyIds, bool keysGiven, string held, string edited)
    {
        var ids = keyIds.Distinct(StringComparer.Ordinal).ToList();
        var quoted = string.Join(", ", ids.Select(id => $"\"{id}\""));
        if (!keysGiven)
        {
            return $"not verified: the chain was not checked: no key was given for {quoted}; {held} hold; give its key (access-report: --key-file)";
        }

        var (what, which) = ids.Count == 1 ? ("key with id", "that id") : ("keys with ids", "those ids");
        return $"not verified: the chain was not checked: the keys given hold no {what} {quoted}; {held} hold; " +
            $"give the key file that holds {which} (access-report: --key-file); if no key with {which} was ever made, {edited}";
    }

    /// <summary>
    /// Returns this integrity with more problems and the same status: a verified log can still record that the
    /// recorder dropped accesses or that retention removed old records, and an unverified one can say why it could
    /// not be verified (a missing key). Every report then shows those losses next to its figures.
    /// </summary>
    /// <param name="problems">The problems to add after the present ones.</param>
    /// <returns>The integrity with the problems; this instance when there are none.</returns>
    public ReportIntegrity WithProblems(IEnumerable<InputProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var added = problems.ToList();
        return added.Count == 0 ? this : new ReportIntegrity(Status, Problems.Concat(added).ToList().AsReadOnly(), Log) { Checkpoint = Checkpoint, CheckpointSigners = CheckpointSigners, StoreHeads = StoreHeads };
    }

    /// <summary>Returns this integrity with the state of the log it was read from.</summary>
    /// <param name="log">The log's last sequence number and chain value.</param>
    /// <returns>The integrity with <see cref="Log"/> set.</returns>
    public ReportIntegrity WithLog(ReportLogState log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return new ReportIntegrity(Status, Problems, log) { Checkpoint = Checkpoint, CheckpointSigners = CheckpointSigners, StoreHeads = StoreHeads };
    }

    // This integrity with the heads of the store of several chains it was read from.
    internal ReportIntegrity WithStoreHeads(ReportStoreHeads heads) =>
        new(Status, Problems, Log) { Checkpoint = Checkpoint, CheckpointSigners = CheckpointSigners, StoreHeads = heads };

    /// <summary>Returns this integrity citing the log's signed checkpoint.</summary>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <param name="signers">The names of the keys that signed it.</param>
    /// <returns>The integrity with the checkpoint.</returns>
    public ReportIntegrity WithCheckpoint(Checkpoint checkpoint, IReadOnlyList<string> signers)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(signers);
        return new ReportIntegrity(Status, Problems, Log) { Checkpoint = checkpoint, CheckpointSigners = signers, StoreHeads = StoreHeads };
    }

    /// <summary>Returns the status name and the number of problems.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => Problems.Count == 0 ? StatusName : $"{StatusName} ({Formats.ReportFigures.Count(Problems.Count, "problem", "problems")})";
}
