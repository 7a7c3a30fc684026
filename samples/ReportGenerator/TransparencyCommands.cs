using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Reporting.Formats;
using DataAccessAudit.Transparency;
using NodaTime;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// The commands that make a log checkable by a third party holding only a public key: <c>keygen</c>,
/// <c>checkpoint</c>, <c>prove</c>, <c>check-proof</c>, <c>witness</c>, and <c>verify --public-key</c>
/// (docs/log-format.md describes the tree, the checkpoints and the proofs).
/// </summary>
internal static class TransparencyCommands
{
    public static IEnumerable<Command> Create(Terminal terminal) =>
        [CreateKeygen(terminal), CreateCheckpoint(terminal), CreateProve(terminal), CreateCheckProof(terminal), CreateWitness(terminal)];

    public static Option<string[]> CreatePublicKeyOption() => new("--public-key")
    {
        HelpName = "KEY",
        Description = "The log's public key: a verifier key string (name+hash+base64) or a file holding one a line; repeat for keys before and after a rotation.",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string> CreateSinceOption() => new("--since")
    {
        HelpName = "FILE",
        Description = "A state kept earlier (a file) that the input must extend (no cut tail, no rewritten past): with --log and --public-key, a signed checkpoint of this log (the log's own checkpoint must be at least as large, else the log was rolled back); with --postgres, the heads file verify --postgres --save-heads wrote.",
    };

    public static Option<string[]> CreateWitnessKeyOption() => new("--witness-key")
    {
        HelpName = "KEY",
        Description = "With --public-key: a witness's public (cosigner) key, string or file; repeat for several. The checkpoint verified against (--since's, else the log's own) must carry --min-cosignatures valid cosignatures by them.",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<int?> CreateMinCosignaturesOption() => WholeNumberOption.OptionalInt32(
        "--min-cosignatures", "With --witness-key: how many of the given witnesses must have cosigned (default 1). Fewer exits with 3.", minimum: 1);

    // verify --public-key: the tree against its signed checkpoint, against an older one when given, and the
    // witnesses' cosignatures on the checkpoint the verification rests on when witness keys are given.
    public static int Verify(string log, string[] publicKeys, string? since, string[]? witnessKeys, int? minCosignatures, Terminal terminal)
    {
        var keys = ReadVerifierKeys("--public-key", publicKeys);
        var older = since is null ? null : ReadNote("--since", since);
        var witnesses = witnessKeys is { Length: > 0 } ? ReadWitnessKeys(witnessKeys) : null;
        var required = RequiredCosignatures(witnesses, minCosignatures);
        LogTreeVerification result;
        SignedNote? current;
        try
        {
            result = FileLogTree.Verify(log, keys, older);
            current = witnesses is null || older is not null ? null : FileLogTree.ReadCheckpoint(log);
        }
        catch (ArgumentException exception) when (exception.ParamName == "keys")
        {
            throw new UsageException($"--public-key: {GuardMessage.Of(exception)}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--log '{log}': cannot read the log: {exception.Message}", exception);
        }

        terminal.Output.WriteLine(result.ToString());
        if (!result.IsIntact)
        {
            return ExitCodes.ProblemsFound;
        }

        if (witnesses is null)
        {
            return ExitCodes.Written;
        }

        // The anchor is the checkpoint an auditor trusts the log to extend: the witnessed one given to --since, or,
        // without it, the log's own last checkpoint (which is witnessed only if a cosigned copy was put back there).
        var anchor = older ?? current!;
        var cosigners = anchor.Cosigners(witnesses);
        var size = Checkpoint.Parse(anchor.Text).TreeSize.ToString(CultureInfo.InvariantCulture);
        var names = cosigners.Count == 0 ? "none" : string.Join(", ", cosigners.Select(k => k.Name));
        var which = older is null ? "the log's checkpoint" : "the --since checkpoint";
        if (cosigners.Count < required)
        {
            terminal.Output.WriteLine($"not witnessed: {which} (tree size {size}) has {ReportFigures.Count(cosigners.Count, "valid cosignature", "valid cosignatures")} by the given witnesses ({names}); {required} required.");
            return ExitCodes.NotVerified;
        }

        terminal.Output.WriteLine($"witnessed: {which} (tree size {size}) is cosigned by {cosigners.Count} of {ReportFigures.Count(witnesses.Count, "given witness", "given witnesses")} ({names}); {required} required.");
        return ExitCodes.Written;
    }

    private static List<NoteVerifierKey> ReadWitnessKeys(string[] values)
    {
        var keys = ReadVerifierKeys("--witness-key", values).Distinct().ToList();
        var signer = keys.FirstOrDefault(key => !key.IsCosigner);
        return signer is null
            ? keys
            : throw new UsageException($"--witness-key '{signer}': a signing key; expected a witness's cosigner key (keygen --name NAME --out FILE --cosigner).");
    }

    private static int RequiredCosignatures(List<NoteVerifierKey>? witnesses, int? minCosignatures)
    {
        if (witnesses is null)
        {
            return minCosignatures is null ? 0 : throw new UsageException("--min-cosignatures needs --witness-key: the witnesses whose cosignatures count.");
        }

        var required = minCosignatures ?? 1;
        return required >= 1 && required <= witnesses.Count
            ? required
            : throw new UsageException($"--min-cosignatures {required}: expected from 1 to the number of distinct witness keys given ({witnesses.Count}).");
    }

    private static Command CreateKeygen(Terminal terminal)
    {
        var nameOption = new Option<string>("--name") { HelpName = "NAME", Description = "With --out: the signing key's name: the log's origin (for example audit.example.com/eu-1), or the witness's name." };
        var outOption = new Option<string>("--out") { HelpName = "FILE", Description = "With --name: the private signing key file to create (mode 0600; never overwritten). The public key is written beside it with .pub appended (never overwritten either)." };
        var cosignerOption = new Option<bool>("--cosigner") { Description = "A witness's key, which cosigns checkpoints (C2SP tlog-cosignature) instead of signing them." };
        var keyFileOption = new Option<string>("--key-file") { HelpName = "FILE", Description = "With --id: the chain key file to create, or to add the new chain key to (a key rotation). Written with mode 0600." };
        var idOption = new Option<string>("--id") { HelpName = "ID", Description = "With --key-file: the new chain key's id, such as 2026-11: 1 to 64 letters, digits, '-', '_' or '.'." };
        var command = new Command("keygen", "Make a key: with --key-file FILE --id ID, a random chain key for the audit log, written to a key file (created with mode 0600, or added to it as the newest); with --name NAME --out FILE, an Ed25519 key to sign a log's checkpoints (or, with --cosigner, to witness them), printing its public verifier key.")
        {
            keyFileOption,
            idOption,
            nameOption,
            outOption,
            cosignerOption,
        };
        command.SetAction(parsed => AccessReportCommandLine.Guarded(terminal, () =>
        {
            var keyFile = parsed.GetValue(keyFileOption);
            var id = parsed.GetValue(idOption);
            var name = parsed.GetValue(nameOption);
            var path = parsed.GetValue(outOption);
            if (keyFile is not null || id is not null)
            {
                if (keyFile is null || id is null || name is not null || path is not null)
                {
                    throw new UsageException("keygen: give --key-file FILE --id ID for a chain key, or --name NAME --out FILE for a signing key.");
                }

                // A chain key is a secret for HMAC, not an Ed25519 key: it has no witness form, and ignoring the flag
                // would leave whoever asked for a witness's key with a chain key instead.
                if (parsed.GetValue(cosignerOption))
                {
                    throw new UsageException("--cosigner: only with --name NAME --out FILE (a witness's Ed25519 key); a chain key (--key-file FILE --id ID) has no cosigner form.");
                }

                return KeyGeneration.Run(keyFile, id, terminal);
            }

            if (name is null || path is null)
            {
                throw new UsageException("keygen: give --key-file FILE --id ID for a chain key, or --name NAME --out FILE for a signing key.");
            }

            NoteSigningKey key;
            try
            {
                key = NoteSigningKey.Generate(name, parsed.GetValue(cosignerOption));
            }
            catch (ArgumentException exception) when (exception.ParamName == "name")
            {
                // The rules of a C2SP signed-note key name, in the option's words rather than the library's.
                throw new UsageException($"--name '{name}': expected a key name without spaces, control characters or '+', such as audit.example.com/eu-1.", exception);
            }

            if (Directory.Exists(path))
            {
                throw new UsageException($"--out '{path}': is a directory; expected the private key file to create.");
            }

            if (File.Exists(path + ".pub") || Directory.Exists(path + ".pub"))
            {
                throw new UsageException($"--out '{path}': '{path}.pub' already exists, and keygen writes the public key there; give another FILE (a key's public half is never replaced).");
            }

            try
            {
                key.Save(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--out '{path}': cannot create the key file: {exception.Message}", exception);
            }

            // The public key is created new, as the private key is: an existing FILE.pub may be the public half of
            // another key, which auditors were given. When it cannot be made, the private key just made goes too: no
            // one holds it yet, and left alone it would make the next keygen to FILE refuse with "already exists".
            var publicPath = path + ".pub";
            FileStream? publicFile = null;
            try
            {
                publicFile = new FileStream(publicPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                using (publicFile)
                {
                    publicFile.Write(Encoding.UTF8.GetBytes(key.VerifierKey + "\n"));
                    publicFile.Flush(flushToDisk: true);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Only what this run created is removed: a FILE.pub that was there already stays as it was.
                if (publicFile is not null)
                {
                    File.Delete(publicPath);
                }

                File.Delete(path);
                throw new UsageException($"--out '{path}': cannot create the public key file '{publicPath}': {exception.Message}", exception);
            }

            terminal.Output.WriteLine(key.VerifierKey.ToString());
            return ExitCodes.Written;
        }));
        return command;
    }

    // A record changed before its first checkpoint is sealed by it: the chain is checked first wherever it can be (an
    // unkeyed log, or --key-file given), once. A keyed log without its keys is signed as before, with a warning, so
    // that a signer that holds only the signing key keeps working.
    private static SignedNote SignCheckpoint(Terminal terminal, string log, NoteSigningKey key, IReadOnlyDictionary<string, byte[]>? chainKeys)
    {
        key.ThrowIfCosigner(nameof(key));   // before the log is read
        var chain = FileLogVerifier.Verify(log, chainKeys);
        if (chainKeys is null && chain.Verdict == LogVerdict.Unverified && chain.Segments > 0)
        {
            terminal.Error.WriteLine("warning: the log's chain was not checked before signing (it is keyed): give its keys with --key-file to refuse a changed record rather than seal it.");
            return FileLogTree.Checkpoint(log, key);
        }

        return FileLogTree.SignVerified(log, key, chain);
    }

    private static Command CreateCheckpoint(Terminal terminal)
    {
        var logOption = new Option<string>("--log") { HelpName = "DIR", Description = "The audit log directory.", Required = true };
        var keyOption = new Option<string>("--key") { HelpName = "FILE", Description = "The log's private key file (from keygen).", Required = true };
        var chainKeyOption = new Option<string>("--key-file")
        {
            HelpName = "FILE",
            Description = "The chain keys of a keyed log: the chain is verified first, and a broken one is not signed. Without it, a keyed log's chain is not checked (a warning says so).",
        };
        var command = new Command("checkpoint", "Verify the log's chain (with --key-file for a keyed log), extend its Merkle tree to the records verified and sign a checkpoint of it (written to DIR/tree/checkpoint and printed): exit 0 when signed, 1 when the chain is broken (nothing signed), 2 on a usage error. Also seals logs written before checkpoints existed.")
        {
            logOption,
            keyOption,
            chainKeyOption,
        };
        command.SetAction(parsed => AccessReportCommandLine.Guarded(terminal, () =>
        {
            var log = parsed.GetValue(logOption)!;
            EventSources.CheckLogDirectory(log);
            var keyPath = parsed.GetValue(keyOption)!;
            var key = ReadSigningKey("--key", keyPath, terminal);
            var chainKeys = EventSources.ReadKeys(parsed.GetValue(chainKeyOption), terminal.Error);
            try
            {
                terminal.Output.Write(SignCheckpoint(terminal, log, key, chainKeys).ToString());
            }
            catch (ArgumentException exception) when (exception.ParamName == "key")
            {
                throw new UsageException($"--key '{keyPath}': {GuardMessage.Of(exception)}", exception);
            }
            catch (InvalidDataException exception)
            {
                terminal.Error.WriteLine($"error: {exception.Message}");
                return ExitCodes.ProblemsFound;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--log '{log}': {exception.Message}", exception);
            }

            return ExitCodes.Written;
        }));
        return command;
    }

    private static Command CreateProve(Terminal terminal)
    {
        var logOption = new Option<string>("--log") { HelpName = "DIR", Description = "The audit log directory.", Required = true };
        var eventOption = new Option<string>("--event") { HelpName = "ID", Description = "The id of the access to prove (the first record with that id)." };
        var seqOption = WholeNumberOption.OptionalInt64("--seq", "The sequence number of the record to prove.", minimum: 1);
        var fromOption = WholeNumberOption.OptionalInt64("--from", "Instead of an inclusion proof: a consistency proof from the tree of this size (an older checkpoint's) to the last checkpoint, for a witness (which holds the older checkpoint).", minimum: 0);
        var sinceOption = new Option<string>("--since") { HelpName = "FILE", Description = "Instead of an inclusion proof: a consistency proof from this signed checkpoint of the log kept earlier (a file) to the last checkpoint, carrying both, checkable with check-proof and the public key alone." };
        var outOption = new Option<string>("--out") { HelpName = "FILE", Description = "Where to write the proof (JSON); standard output when omitted." };
        var command = new Command("prove", "Write a proof from the log's last checkpoint: that one access is in the log (--event ID or --seq N), or that the log extends an older checkpoint (--since FILE, or --from SIZE for a witness); check it with check-proof and the public key alone. Exit 1 when no proof can be made from this log (none covering the record, records out of sequence, a corrupt tile, a rewritten past).")
        {
            logOption,
            eventOption,
            seqOption,
            fromOption,
            sinceOption,
            outOption,
        };
        command.SetAction(parsed => AccessReportCommandLine.Guarded(terminal, () =>
        {
            var log = parsed.GetValue(logOption)!;
            EventSources.CheckLogDirectory(log);
            var eventId = parsed.GetValue(eventOption);
            var seq = parsed.GetValue(seqOption);
            var from = parsed.GetValue(fromOption);
            var since = parsed.GetValue(sinceOption);
            if ((eventId is null ? 0 : 1) + (seq is null ? 0 : 1) + (from is null ? 0 : 1) + (since is null ? 0 : 1) != 1)
            {
                throw new UsageException("prove: give exactly one of --event ID, --seq N, --since FILE or --from SIZE.");
            }

            var kept = since is null ? null : ReadNote("--since", since);
            string json;
            try
            {
                if (kept is not null)
                {
                    json = ProveSince(log, since!, kept);
                }
                else if (from is { } size)
                {
                    json = FileLogTree.ProveConsistency(log, size).ToJson();
                }
                else if (seq is { } sequence)
                {
                    json = FileLogTree.ProveRecord(log, sequence).ToJson();
                }
                else
                {
                    var proof = FileLogTree.ProveEvent(log, eventId!);
                    if (proof is null)
                    {
                        terminal.Error.WriteLine($"error: --event '{eventId}': no record with that id is covered by the log's last checkpoint.");
                        return ExitCodes.ProblemsFound;
                    }

                    json = proof.ToJson();
                }
            }
            catch (Exception exception) when (exception is InvalidOperationException or InvalidDataException)
            {
                // No proof to give from this log (no checkpoint covering it, or a tree that would give a wrong one).
                terminal.Error.WriteLine($"error: {exception.Message}");
                return ExitCodes.ProblemsFound;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                throw new UsageException($"--log '{log}': {exception.Message}", exception);
            }

            Write(parsed.GetValue(outOption), json, terminal);
            return ExitCodes.Written;
        }));
        return command;
    }

    private static Command CreateCheckProof(Terminal terminal)
    {
        var proofArgument = new Argument<string>("PROOF") { Description = "The proof file written by prove: an inclusion proof, or a consistency proof carrying both checkpoints (prove --since FILE)." };
        var publicKeyOption = CreatePublicKeyOption();
        publicKeyOption.Required = true;
        var command = new Command("check-proof", "Check a proof with the log's public key alone: exit 0 when the access is proven to be in the log (or the newer checkpoint proven to extend the older), 1 when not, 2 on a usage error or an unreadable or malformed proof or key (such as a witness's key given as the log's, or a consistency proof made with --from SIZE, which carries only one checkpoint).")
        {
            proofArgument,
            publicKeyOption,
        };
        command.SetAction(parsed => AccessReportCommandLine.Guarded(terminal, () =>
        {
            var keys = ReadVerifierKeys("--public-key", parsed.GetValue(publicKeyOption)!);
            var path = parsed.GetValue(proofArgument)!;
            var (inclusion, consistency) = ReadProof(path);
            if (consistency is not null)
            {
                return CheckConsistency(path, consistency, keys, terminal);
            }

            var proof = inclusion!;

            try
            {
                var (checkpoint, signers) = proof.Verify(keys);
                terminal.Output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"verified: record {proof.Index + 1} is in the log {checkpoint.Origin} of {ReportFigures.Count(checkpoint.TreeSize, "record", "records")} (root {Convert.ToBase64String(checkpoint.RootHash)}), signed by {string.Join(", ", signers.Select(s => s.ToString()))}"));
                terminal.Output.WriteLine(proof.Record);
                return ExitCodes.Written;
            }
            catch (NoteVerificationException exception)
            {
                terminal.Output.WriteLine($"not verified: {exception.Message}");
                return ExitCodes.ProblemsFound;
            }
            catch (ArgumentException exception) when (exception.ParamName == "keys")
            {
                throw new UsageException($"--public-key: {GuardMessage.Of(exception)}", exception);
            }
        }));
        return command;
    }

    private static Command CreateWitness(Terminal terminal)
    {
        var stateOption = new Option<string>("--state") { HelpName = "DIR", Description = "The witness's state directory: the last checkpoint it accepted per log.", Required = true };
        var keyOption = new Option<string>("--key") { HelpName = "FILE", Description = "The witness's private key file (keygen --cosigner).", Required = true };
        var logKeyOption = new Option<string[]>("--log-key") { HelpName = "KEY", Description = "The log's public key (string or file).", Required = true, AllowMultipleArgumentsPerToken = true };
        var checkpointOption = new Option<string>("--checkpoint") { HelpName = "FILE", Description = "The log's new signed checkpoint (a file, such as DIR/tree/checkpoint).", Required = true };
        var proofOption = new Option<string>("--proof") { HelpName = "FILE", Description = "A consistency proof (prove --from SIZE) from the last checkpoint this witness accepted." };
        var outOption = new Option<string>("--out") { HelpName = "FILE", Description = "Where to write the cosigned checkpoint; standard output when omitted." };
        var command = new Command("witness", "Accept a log's new checkpoint only if it extends the last one accepted (with --proof), then cosign it (C2SP tlog-cosignature): exit 0 when cosigned, 1 when refused, 2 on a usage error, an unreadable or malformed key, checkpoint or proof, or a state it cannot use.")
        {
            stateOption,
            keyOption,
            logKeyOption,
            checkpointOption,
            proofOption,
            outOption,
        };
        command.SetAction(parsed => AccessReportCommandLine.Guarded(terminal, () =>
        {
            var keyPath = parsed.GetValue(keyOption)!;
            var key = ReadSigningKey("--key", keyPath, terminal);
            if (!key.VerifierKey.IsCosigner)
            {
                throw new UsageException($"--key '{keyPath}': {key} is not a cosigner key: generate the witness's key with keygen --name NAME --out FILE --cosigner.");
            }

            var logKeys = ReadVerifierKeys("--log-key", parsed.GetValue(logKeyOption)!);
            var checkpoint = ReadNote("--checkpoint", parsed.GetValue(checkpointOption)!);
            ConsistencyProof? proof = null;
            if (parsed.GetValue(proofOption) is { } proofPath)
            {
                var text = ReadFile("--proof", proofPath, "a consistency proof file (prove --from SIZE)");
                try
                {
                    proof = ConsistencyProof.Parse(text);
                }
                catch (FormatException exception)
                {
                    throw new UsageException($"--proof '{proofPath}': {exception.Message}", exception);
                }
            }

            var state = parsed.GetValue(stateOption)!;
            CheckpointWitness witness;
            try
            {
                witness = new CheckpointWitness(state, key, SystemClock.Instance);
            }
            catch (ArgumentException exception)
            {
                throw WitnessUsageError(exception, keyPath);
            }

            SignedNote cosigned;
            try
            {
                cosigned = witness.Cosign(checkpoint, logKeys, proof);
            }
            catch (NoteVerificationException exception)
            {
                terminal.Error.WriteLine($"refused: {exception.Message}");
                return ExitCodes.ProblemsFound;
            }
            catch (ArgumentException exception)
            {
                throw WitnessUsageError(exception, keyPath);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // The witness no longer knows what it accepted: exit 1 would read as a verdict on the checkpoint.
                throw new UsageException($"--state '{state}': {exception.Message}", exception);
            }

            Write(parsed.GetValue(outOption), cosigned.ToString(), terminal);
            return ExitCodes.Written;
        }));
        return command;
    }

    // A CheckpointWitness guard's message is about the value of one parameter: it is reported against the option that
    // value came from, since blaming another would send the user to fix the wrong one; one the options cannot reach
    // names no option rather than a wrong one.
    private static UsageException WitnessUsageError(ArgumentException exception, string keyPath) => new(
        exception.ParamName switch
        {
            "key" => $"--key '{keyPath}': {GuardMessage.Of(exception)}",
            "logKeys" => $"--log-key: {GuardMessage.Of(exception)}",
            _ => $"witness: {GuardMessage.Of(exception)}",
        },
        exception);

    private static string ProveSince(string log, string since, SignedNote kept)
    {
        try
        {
            return FileLogTree.ProveConsistency(log, kept).ToJson();
        }
        catch (FormatException exception)
        {
            throw new UsageException($"--since '{since}': not a signed checkpoint: {exception.Message}", exception);
        }
    }

    // The proof file as one of the two schemas prove writes: a file naming the consistency proof's schema is read as
    // one, and any other is reported against the inclusion proof's members.
    private static (InclusionProof? Inclusion, ConsistencyProof? Consistency) ReadProof(string path)
    {
        var text = ReadFile("PROOF", path, "a proof file written by prove");
        try
        {
            return NamesSchema(text, ConsistencyProof.Schema) ? (null, ConsistencyProof.Parse(text)) : (InclusionProof.Parse(text), null);
        }
        catch (FormatException exception)
        {
            throw new UsageException($"PROOF '{path}': {exception.Message}", exception);
        }
    }

    // Whether the file's top-level "schema" member, the discriminator both proofs begin with, names this schema. Only
    // that member is looked at: each proof's parser reads and judges the whole file.
    private static bool NamesSchema(string json, string schema)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("schema"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(schema);
                }

                reader.Skip();
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Not JSON, or a name or the schema escaping a surrogate without its pair: the inclusion proof's parser
            // says where.
        }

        return false;
    }

    private static int CheckConsistency(string path, ConsistencyProof proof, List<NoteVerifierKey> keys, Terminal terminal)
    {
        try
        {
            var (from, to, signers) = proof.Verify(keys);
            terminal.Output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"verified: the checkpoint of {to.Origin} at {ReportFigures.Count(to.TreeSize, "record", "records")} (root {Convert.ToBase64String(to.RootHash)}) extends the one at {ReportFigures.Count(from.TreeSize, "record", "records")} (root {Convert.ToBase64String(from.RootHash)}), both signed by the log, the newer by {string.Join(", ", signers.Select(s => s.ToString()))}"));
            return ExitCodes.Written;
        }
        catch (NoteVerificationException exception)
        {
            terminal.Output.WriteLine($"not verified: {exception.Message}");
            return ExitCodes.ProblemsFound;
        }
        catch (InvalidOperationException exception)
        {
            throw new UsageException($"PROOF '{path}': {exception.Message} Make one with prove --log DIR --since FILE.", exception);
        }
        catch (ArgumentException exception) when (exception.ParamName == "keys")
        {
            throw new UsageException($"--public-key: {GuardMessage.Of(exception)}", exception);
        }
    }

    private static void Write(string? path, string text, Terminal terminal)
    {
        if (path is null)
        {
            terminal.Output.Write(text);
            return;
        }

        if (Directory.Exists(path))
        {
            throw new UsageException($"--out '{path}': is a directory; expected the file to write.");
        }

        // A file is replaced whole or not at all: a proof or a cosigned checkpoint written earlier to the same file is
        // what a witness or an auditor holds, and a full disk, a file size limit or a crash part-way must leave it as it
        // was rather than truncated. A pipe or a device (/dev/stdout, a process substitution) is written to as it is:
        // there is nothing to replace. A file size limit is reported by .NET as an argument out of range.
        try
        {
            if (File.Exists(path) && FileKind.DescribeIfNotRegular(path) is not null)
            {
                File.WriteAllText(path, text);
            }
            else
            {
                AtomicFile.Write(path, Encoding.UTF8.GetBytes(text), ownerOnly: false);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            throw new UsageException($"--out '{path}': cannot write the file: {exception.Message}", exception);
        }
    }

    // A key file others can read is read all the same, with a warning of what it exposes (ssh's rule, warned instead of
    // refused: a key handed to a group on purpose would otherwise stop the command).
    private static NoteSigningKey ReadSigningKey(string option, string path, Terminal terminal)
    {
        var text = ReadFile(option, path, "a private key file (from keygen)");
        try
        {
            var key = NoteSigningKey.Parse(text);
            var exposes = key.VerifierKey.IsCosigner ? KeyFileExposure.CosignerKey : KeyFileExposure.SigningKey;
            if (KeyFileExposure.Warning(path, exposes) is { } warning)
            {
                terminal.Error.WriteLine($"warning: {option}: {warning}");
            }

            return key;
        }
        catch (FormatException exception)
        {
            throw new UsageException($"{option} '{path}': does not hold a signing key: {exception.Message}", exception);
        }
    }

    private static List<NoteVerifierKey> ReadVerifierKeys(string option, IEnumerable<string> values)
    {
        var keys = new List<NoteVerifierKey>();
        foreach (var value in values)
        {
            if (NoteVerifierKey.TryParse(value, out var key))
            {
                keys.Add(key);
                continue;
            }

            if (!File.Exists(value) && !Directory.Exists(value))
            {
                throw new UsageException($"{option} '{value}': neither a verifier key (name+hash+base64) nor a file holding one.");
            }

            const string Expected = "a verifier key (name+hash+base64) or a file holding one a line";
            var text = ReadFile(option, value, Expected);
            var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            if (lines.Count == 0)
            {
                throw new UsageException($"{option} '{value}': the file holds no key (it is empty, or only comments); expected {Expected}.");
            }

            foreach (var line in lines)
            {
                try
                {
                    keys.Add(NoteVerifierKey.Parse(line));
                }
                catch (FormatException exception)
                {
                    throw new UsageException($"{option} '{value}': {exception.Message}", exception);
                }
            }
        }

        return keys.Count > 0 ? keys : throw new UsageException($"{option}: no key given.");
    }

    private static SignedNote ReadNote(string option, string path)
    {
        var text = ReadFile(option, path, "a signed checkpoint file");
        try
        {
            return SignedNote.Parse(text);
        }
        catch (FormatException exception)
        {
            // The heads of a PostgreSQL store are the other kind of file --since takes: say which command they are for.
            var other = option == "--since" && text.TrimStart().StartsWith('{')
                ? " (the heads of a PostgreSQL store, access-store-heads/1, are checked with verify --postgres CONNECTION --since FILE)"
                : string.Empty;
            throw new UsageException($"{option} '{path}': not a readable signed checkpoint: {exception.Message}{other}", exception);
        }
    }

    // The text of a file an option names (keys, checkpoints, proofs): a directory, or a file that cannot be read (no
    // permission, an I/O error), is a usage error naming the option and the value, never an exception that would end
    // the run with a stack trace and the exit code of a verdict.
    private static string ReadFile(string option, string path, string expected)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"{option} '{path}': is a directory; expected {expected}.");
        }

        try
        {
            return SmallFile.ReadAllText(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"{option} '{path}': file not found; expected {expected}.", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} '{path}': cannot read the file: {exception.Message}", exception);
        }
    }
}
