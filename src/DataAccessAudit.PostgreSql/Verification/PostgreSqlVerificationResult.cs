using System.Globalization;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Reporting;

namespace DataAccessAudit.PostgreSql.Verification;

/// <summary>
/// What verifying the PostgreSQL store found: every writing instance's chain checked on its own, from its first row
/// to the head the instance recorded.
/// </summary>
public sealed class PostgreSqlVerificationResult
{
    internal PostgreSqlVerificationResult(IReadOnlyList<PostgreSqlInstanceVerification> instances, bool keysGiven, PostgreSqlStoreHeads? since = null)
    {
        Instances = instances;
        KeysGiven = keysGiven;
        Since = since;
    }

    /// <summary>Gets each instance's verification, ordered by instance id (ordinal).</summary>
    public IReadOnlyList<PostgreSqlInstanceVerification> Instances { get; }

    /// <summary>Gets a value indicating whether every instance's chain is intact.</summary>
    public bool IsIntact => Instances.All(i => i.IsIntact);

    /// <summary>Gets how many records were verified in all.</summary>
    public long Records => Instances.Sum(i => i.Records);

    /// <summary>Gets how many access events were verified in all.</summary>
    public long Events => Instances.Sum(i => i.Events);

    /// <summary>Gets how many accesses the gap records of all instances say were dropped.</summary>
    public long DroppedEvents => Instances.Sum(i => i.DroppedEvents);

    /// <summary>
    /// Gets every instance's head as verified (its last verified sequence number and chain value), for the auditor to
    /// keep outside the database and give to <see cref="PostgreSqlAuditStore.VerifyAsync"/> next time. Keep them only
    /// from an intact result: a broken instance's head is where its verification stopped.
    /// </summary>
    public PostgreSqlStoreHeads Heads => new(Instances.Select(i => new PostgreSqlInstanceHead(i.InstanceId, i.LastSequence, i.LastChain)));

    private bool KeysGiven { get; }

    // The heads the store was required to extend, or null.
    private PostgreSqlStoreHeads? Since { get; }

    /// <summary>
    /// Gets the verdict over all instances, as the file log's: broken when any chain is broken, else unverified when
    /// any instance's key was not given, else verified-unkeyed when any chain is unkeyed, else verified.
    /// </summary>
    public LogVerdict Verdict =>
        Instances.Any(i => i.Verdict == LogVerdict.Broken) ? LogVerdict.Broken
        : Instances.Any(i => i.Verdict == LogVerdict.Unverified) ? LogVerdict.Unverified
        : Instances.Any(i => i.Verdict == LogVerdict.VerifiedUnkeyed) ? LogVerdict.VerifiedUnkeyed
        : LogVerdict.Verified;

    /// <summary>Gets the verdict as a report states it.</summary>
    public IntegrityStatus Status => Verdict switch
    {
        LogVerdict.Broken => IntegrityStatus.Broken,
        LogVerdict.Unverified => IntegrityStatus.Unverified,
        LogVerdict.VerifiedUnkeyed => IntegrityStatus.VerifiedUnkeyed,
        _ => IntegrityStatus.Verified,
    };

    /// <summary>Gets the verdict's stable name: <c>verified</c>, <c>verified-unkeyed</c>, <c>unverified</c> or <c>broken</c>.</summary>
    public string VerdictName => Verdict switch
    {
        LogVerdict.Verified => "verified",
        LogVerdict.VerifiedUnkeyed => "verified-unkeyed",
        LogVerdict.Broken => "broken",
        _ => "unverified",
    };

    /// <summary>
    /// Returns the integrity a report of these rows states: the verdict, every break, and the losses the store
    /// records about itself (gap records), one problem each.
    /// </summary>
    /// <param name="gaps">The gap problems, as collected while reading.</param>
    /// <returns>The report integrity.</returns>
    /// <param name="schema">The schema holding the store, which the report names beside the heads.</param>
    internal ReportIntegrity ToReportIntegrity(IEnumerable<InputProblem> gaps, string schema)
    {
        var breaks = Instances.Where(i => i.Break is not null).Select(i => i.Break!.ToInputProblem()).ToList();
        // The same words as a report of the file log, so that both stores' reports say the same of the same chains.
        var unchecked_ = Instances.Where(i => i.Verdict == LogVerdict.Unverified)
            .Select(i => new InputProblem(InstanceChainVerifier.Source(i.InstanceId), 0,
                ReportIntegrity.UncheckedChain([i.KeyId ?? string.Empty], KeysGiven, "sequence numbers, typed columns and the head", "the instance's rows were edited to name it")));
        var unkeyed = Instances.Where(i => i.Verdict == LogVerdict.VerifiedUnkeyed)
            .Select(i => new InputProblem(InstanceChainVerifier.Source(i.InstanceId), 0,
                $"verified-unkeyed: {LogVerificationResult.UnkeyedCaveat}; write the store with a key (PostgreSqlStoreOptions.KeyId and Key) so that editing it cannot go unnoticed"));
        var integrity = Verdict switch
        {
            LogVerdict.Broken => ReportIntegrity.Broken(breaks),
            LogVerdict.Unverified => ReportIntegrity.Unverified.WithProblems(unchecked_),
            LogVerdict.VerifiedUnkeyed => ReportIntegrity.VerifiedUnkeyed.WithProblems(unkeyed),
            _ => ReportIntegrity.Verified,
        };
        return integrity.WithProblems(gaps).WithStoreHeads(new ReportStoreHeads(schema, Instances.Select(i => (i.InstanceId, i.LastSequence, i.LastChain)).ToList()));
    }

    /// <summary>
    /// Returns the verdict, how many instances and records were checked, and, when kept heads were given, that the
    /// store extends them.
    /// </summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{VerdictName}: {Instances.Count} {(Instances.Count == 1 ? "instance" : "instances")}, {Records} records ({Events} events){(KeysGiven ? ", keyed" : string.Empty)}{Extends}");

    private string Extends => Since is null ? string.Empty
        : IsIntact ? string.Create(CultureInfo.InvariantCulture, $", extends the {Since.Instances.Count} kept {(Since.Instances.Count == 1 ? "head" : "heads")}")
        : string.Create(CultureInfo.InvariantCulture, $", checked against {Since.Instances.Count} kept {(Since.Instances.Count == 1 ? "head" : "heads")}");
}
