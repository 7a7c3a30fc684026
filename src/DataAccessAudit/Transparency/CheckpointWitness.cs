using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace DataAccessAudit.Transparency;

/// <summary>
/// A witness: keeps the last checkpoint it accepted for each log, accepts a newer one only with a consistency proof
/// from it, and cosigns what it accepts (C2SP <c>tlog-cosignature</c>). Run by a party other than the log's
/// operator, it makes a rewritten past or a forked log visible: the operator cannot get a cosignature for both views.
/// </summary>
public sealed class CheckpointWitness
{
    private readonly string _stateDirectory;
    private readonly NoteSigningKey _key;
    private readonly IClock _clock;

    /// <summary>Initializes a new instance of the <see cref="CheckpointWitness"/> class.</summary>
    /// <param name="stateDirectory">Where the last accepted checkpoint of each log is kept (created, 0700 on Unix).</param>
    /// <param name="key">The witness's cosigner key (<see cref="NoteSigningKey.Generate"/> with <c>cosigner: true</c>).</param>
    /// <param name="clock">The time written into cosignatures.</param>
    public CheckpointWitness(string stateDirectory, NoteSigningKey key, IClock clock)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(clock);
        if (!key.IsCosigner)
        {
            throw new ArgumentException($"{key} is not a cosigner key: generate the witness's key with cosigner: true.", nameof(key));
        }

        _stateDirectory = stateDirectory;
        _key = key;
        _clock = clock;
    }

    /// <summary>Gets the last checkpoint this witness accepted for a log, or null.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <returns>The cosigned checkpoint, or null when none was accepted.</returns>
    public SignedNote? LastAccepted(string origin)
    {
        var path = StatePath(origin);
        return File.Exists(path) ? SignedNote.ParseUtf8(File.ReadAllBytes(path)) : null;
    }

    /// <summary>Accepts and cosigns a new checkpoint of a log, or refuses it.</summary>
    /// <param name="checkpoint">The log's new signed checkpoint.</param>
    /// <param name="logKeys">The log's public keys.</param>
    /// <param name="proof">A consistency proof from the last accepted checkpoint to the new one; not needed for the first checkpoint of a log, or for one of the same size.</param>
    /// <returns>The checkpoint with this witness's cosignature added.</returns>
    /// <exception cref="NoteVerificationException">The checkpoint is not signed by the log, is older than the last accepted, or is not proven to extend it.</exception>
    public SignedNote Cosign(SignedNote checkpoint, IEnumerable<NoteVerifierKey> logKeys, ConsistencyProof? proof)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(logKeys);
        var logKeyList = logKeys.Where(k => !k.IsCosigner).ToList();
        Checkpoint next;
        try
        {
            (next, _) = Checkpoint.Open(checkpoint.ToString(), logKeyList);
        }
        catch (FormatException exception)
        {
            throw new NoteVerificationException($"Refused: not a checkpoint: {exception.Message}", exception);
        }

        if (LastAccepted(next.Origin) is { } lastNote)
        {
            var last = Checkpoint.Parse(lastNote.Text);
            if (next.TreeSize < last.TreeSize)
            {
                throw new NoteVerificationException($"Refused: the checkpoint of {next.Origin} covers {next.TreeSize} records, fewer than the {last.TreeSize} already accepted: the log was cut or forked.");
            }

            if (next.TreeSize == last.TreeSize)
            {
                if (!next.RootHash.SequenceEqual(last.RootHash))
                {
                    throw new NoteVerificationException($"Refused: the checkpoint of {next.Origin} at {next.TreeSize} records has a different root from the one already accepted at that size: the log was rewritten.");
                }
            }
            else if (proof is null)
            {
                throw new NoteVerificationException($"Refused: a consistency proof from {last.TreeSize} to {next.TreeSize} records is needed (access-report prove --log DIR --from {last.TreeSize}).");
            }
            else if (!proof.Verify(last, next))
            {
                throw new NoteVerificationException($"Refused: the proof does not show that the checkpoint at {next.TreeSize} extends the one accepted at {last.TreeSize}: the log's past was rewritten, or the proof is for other sizes.");
            }
        }

        var cosigned = SignedNote.Parse(checkpoint.ToString()).Cosign(_key, _clock.GetCurrentInstant());
        Directory.CreateDirectory(_stateDirectory);
        LogTree.WriteAtomically(StatePath(next.Origin), Encoding.UTF8.GetBytes(cosigned.ToString()));
        return cosigned;
    }

    private string StatePath(string origin) =>
        Path.Combine(_stateDirectory, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(origin))).ToLowerInvariant() + ".checkpoint");
}
