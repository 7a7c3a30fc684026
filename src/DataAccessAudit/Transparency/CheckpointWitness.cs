using System.Security.Cryptography;
using System.Text;
using DataAccessAudit.Log;
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
    /// <param name="stateDirectory">Where the last accepted checkpoint of each log is kept (created when missing; it holds only cosigned checkpoints, which are public).</param>
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

    // Makes a directory's entries durable (the state directory's in its parent, a log's state in it); tests observe it.
    internal Action<string> SyncDirectory { get; init; } = DirectorySync.Flush;

    /// <summary>Gets the last checkpoint this witness accepted for a log, or null.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <returns>The cosigned checkpoint, or null when none was accepted.</returns>
    /// <exception cref="InvalidDataException">The state kept for the log is not a checkpoint of it (see <see cref="Cosign"/>).</exception>
    /// <exception cref="IOException">The state directory or the log's state cannot be read.</exception>
    public SignedNote? LastAccepted(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        CheckStateDirectory();
        var path = StatePath(origin);
        if (Directory.Exists(path))
        {
            throw CorruptState(path, origin, "it is a directory, not the file this witness writes");
        }

        if (!File.Exists(path))
        {
            return null;
        }

        SignedNote note;
        Checkpoint checkpoint;
        try
        {
            note = SignedNote.ParseUtf8(SmallFile.ReadAllBytes(path));
            checkpoint = Checkpoint.Parse(note.Text);
        }
        catch (FormatException exception)
        {
            throw CorruptState(path, origin, exception.Message, exception);
        }

        return checkpoint.Origin == origin ? note : throw CorruptState(path, origin, $"it holds a checkpoint of '{checkpoint.Origin}'");
    }

    /// <summary>Accepts and cosigns a new checkpoint of a log, or refuses it.</summary>
    /// <param name="checkpoint">The log's new signed checkpoint.</param>
    /// <param name="logKeys">The log's public keys.</param>
    /// <param name="proof">A consistency proof from the last accepted checkpoint to the new one; not needed for the first checkpoint of a log, or for one of the same size.</param>
    /// <returns>The checkpoint with this witness's cosignature added.</returns>
    /// <exception cref="NoteVerificationException">The checkpoint is not signed by the log, is older than the last accepted, or is not proven to extend it.</exception>
    /// <exception cref="ArgumentException">A key in <paramref name="logKeys"/> is a witness's cosigner key.</exception>
    /// <exception cref="InvalidDataException">
    /// The state kept for the log is not a checkpoint of it (emptied, overwritten, or a directory in its place): the
    /// witness no longer knows what it accepted, which is not a verdict on the new checkpoint.
    /// </exception>
    /// <exception cref="IOException">The state directory is a file, or the state cannot be read or written.</exception>
    public SignedNote Cosign(SignedNote checkpoint, IEnumerable<NoteVerifierKey> logKeys, ConsistencyProof? proof)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var logKeyList = NoteVerifierKey.LogKeys(logKeys, nameof(logKeys));

        CheckStateDirectory();
        // Durably: a cosignature handed out must not be followed by a witness that, after a power loss, lost the
        // state directory and with it what it accepted.
        DirectorySync.Create(_stateDirectory, SyncDirectory);

        // What was accepted is read, checked against and replaced under the state directory's lock: two cosignings at
        // once (two processes, or two threads) would each check the new checkpoint against the same last one, and a
        // witness would cosign both branches of a fork, the split view it is kept to refuse.
        using var stateLock = DataAccessAudit.Log.DirectoryLock.AcquireWaiting(_stateDirectory);
        Checkpoint next;
        try
        {
            (next, _) = Checkpoint.Open(checkpoint.ToString(), logKeyList);
        }
        catch (FormatException exception)
        {
            throw new NoteVerificationException($"The note is not a checkpoint: {exception.Message}", exception);
        }

        if (LastAccepted(next.Origin) is { } lastNote)
        {
            var last = Checkpoint.Parse(lastNote.Text);
            if (next.TreeSize < last.TreeSize)
            {
                throw new NoteVerificationException($"The checkpoint of {next.Origin} covers {next.TreeSize} records, fewer than the {last.TreeSize} already accepted: the log was cut or forked.");
            }

            if (next.TreeSize == last.TreeSize)
            {
                if (!next.RootHash.SequenceEqual(last.RootHash))
                {
                    throw new NoteVerificationException($"The checkpoint of {next.Origin} at {next.TreeSize} records has a different root from the one already accepted at that size: the log was rewritten.");
                }
            }
            else if (proof is null)
            {
                throw new NoteVerificationException($"A consistency proof from {last.TreeSize} to {next.TreeSize} records is needed (access-report prove --log DIR --from {last.TreeSize}).");
            }
            else if (!proof.Verify(last, next))
            {
                throw new NoteVerificationException($"The proof does not show that the checkpoint at {next.TreeSize} extends the one accepted at {last.TreeSize}: the log's past was rewritten, or the proof is for other sizes.");
            }
        }

        var cosigned = SignedNote.Parse(checkpoint.ToString()).Cosign(_key, _clock.GetCurrentInstant());
        AtomicFile.Write(StatePath(next.Origin), Encoding.UTF8.GetBytes(cosigned.ToString()), ownerOnly: false, SyncDirectory);
        return cosigned;
    }

    private static InvalidDataException CorruptState(string path, string origin, string problem, Exception? inner = null) =>
        new($"The witness state '{path}' for {origin} is not the checkpoint this witness last accepted: {problem.TrimEnd('.')}. Restore it from a backup; removing it makes the witness accept the log's next checkpoint without a consistency proof.", inner);

    private void CheckStateDirectory()
    {
        if (File.Exists(_stateDirectory))
        {
            throw new IOException($"The witness state directory '{_stateDirectory}' is a file, not a directory.");
        }
    }

    private string StatePath(string origin) =>
        Path.Combine(_stateDirectory, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(origin))).ToLowerInvariant() + ".checkpoint");
}
