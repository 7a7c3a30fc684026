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
    internal PostgreSqlVerificationResult(IReadOnlyList<PostgreSqlInstanceVerification> instances, bool keysGiven)
    {
        Instances = instances;
        KeysGiven = keysGiven;
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

    private bool KeysGiven { get; }

    /// <summary>
    /// Gets the verdict, as the file log's: <see cref="IntegrityStatus.Broken"/> when a chain is not intact (a
    /// missing key included: the instance could not be checked), else <see cref="IntegrityStatus.Verified"/>.
    /// </summary>
    public IntegrityStatus Status =>
        Instances.Any(i => i.Break is { Kind: not LogBreakKind.MissingKey }) ? IntegrityStatus.Broken
        : Instances.Any(i => i.Break is { Kind: LogBreakKind.MissingKey }) ? IntegrityStatus.Unverified
        : IntegrityStatus.Verified;

    /// <summary>
    /// Returns the integrity a report of these rows states: the verdict, every break, and the losses the store
    /// records about itself (gap records), one problem each.
    /// </summary>
    /// <param name="gaps">The gap problems, as collected while reading.</param>
    /// <returns>The report integrity.</returns>
    internal ReportIntegrity ToReportIntegrity(IEnumerable<InputProblem> gaps)
    {
        var breaks = Instances.Where(i => i.Break is not null).Select(i => i.Break!.ToInputProblem()).ToList();
        var integrity = Status switch
        {
            IntegrityStatus.Broken => ReportIntegrity.Broken(breaks),
            IntegrityStatus.Unverified => ReportIntegrity.Unverified.WithProblems(breaks),
            _ => ReportIntegrity.Verified,
        };
        return integrity.WithProblems(gaps);
    }

    /// <summary>Returns the verdict and how many instances and records were checked.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(IsIntact ? "intact" : "NOT intact")}: {Instances.Count} instances, {Records} records ({Events} events){(KeysGiven ? ", keyed" : string.Empty)}");
}
