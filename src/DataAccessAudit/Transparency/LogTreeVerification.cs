using System.Globalization;

namespace DataAccessAudit.Transparency;

/// <summary>What verifying a log against its signed checkpoint found (see <see cref="FileLogTree.Verify"/>).</summary>
public sealed class LogTreeVerification
{
    internal LogTreeVerification(Checkpoint? checkpoint, IReadOnlyList<NoteVerifierKey> signers, long records, string? problem, long? consistentFrom)
    {
        Checkpoint = checkpoint;
        Signers = signers;
        Records = records;
        Problem = problem;
        ConsistentFrom = consistentFrom;
    }

    /// <summary>
    /// Gets whether the log's records are exactly those its signed checkpoint covers (followed by any newer ones), and
    /// extend the older checkpoint when one was given; and whether the tiles stored under <c>tree/</c>, from which
    /// proofs are made, hold the hashes of the tree that the checkpoint signs.
    /// </summary>
    public bool IsIntact => Problem is null;

    /// <summary>Gets the log's signed checkpoint, when its signature verified.</summary>
    public Checkpoint? Checkpoint { get; }

    /// <summary>Gets the keys whose signatures on the checkpoint verified.</summary>
    public IReadOnlyList<NoteVerifierKey> Signers { get; }

    /// <summary>
    /// Gets the number of records in the log's tree: the complete records in the log, and before them those retention
    /// removed (<see cref="RemovedUpToSequence"/>).
    /// </summary>
    public long Records { get; }

    /// <summary>Gets the size of the older checkpoint the log was proven to extend, when one was given and it does.</summary>
    public long? ConsistentFrom { get; }

    /// <summary>
    /// Gets the sequence number up to which retention removed records, as a removal record in the log states it (0 when
    /// the log holds every record from the first). Those records were verified by their hashes, which the tree's tiles
    /// keep; <see cref="Records"/> counts them.
    /// </summary>
    public long RemovedUpToSequence { get; internal init; }

    /// <summary>Gets what is wrong, naming the record or checkpoint, or null when intact.</summary>
    public string? Problem { get; }

    /// <summary>Returns a one-line summary.</summary>
    /// <returns>"intact: …" or "broken: …".</returns>
    public override string ToString()
    {
        if (Problem is not null)
        {
            return "broken: " + Problem;
        }

        var unsigned = Records - Checkpoint!.TreeSize;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"intact: {Checkpoint.TreeSize} records under the checkpoint of {Checkpoint.Origin} signed by {string.Join(", ", Signers.Select(s => s.Name + "+" + s.KeyId.ToString("x8", CultureInfo.InvariantCulture)))}{(unsigned > 0 ? $", {unsigned} newer records not yet in a checkpoint" : string.Empty)}{(ConsistentFrom is { } from ? $", extends the checkpoint at {from}" : string.Empty)}{(RemovedUpToSequence > 0 ? $" (1..{RemovedUpToSequence} removed by retention, verified by their hashes in the tiles)" : string.Empty)}");
    }
}
