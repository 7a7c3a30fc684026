using System.CommandLine;
using DataAccessAudit.Interchange;
using DataAccessAudit.ReportGenerator.Demo;
using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// The commands and options of <c>access-report</c>. Their names are a contract (teams script them): <c>demo</c>,
/// <c>report</c> and <c>verify</c> as docs/reports.md defines them (with every option and exit code).
/// Parse errors and bad values exit with 2; the commands themselves are thin and call the library.
/// </summary>
internal static class AccessReportCommandLine
{
    public const int DefaultDemoEvents = 100_000;
    public const int DefaultDemoSeed = 2021;
    public const string DefaultDemoDirectory = "access-report-demo";
    public const string DefaultFormats = "html,md,csv,json";

    public static int Run(string[] args, Terminal terminal)
    {
        var root = Create(terminal);
        var parsed = root.Parse(NonEmptyValues.SplitEmptyAssignments(root, args));
        if (parsed.CommandResult.Command == root && parsed.UnmatchedTokens is [var first, ..] && !OptionLikeValues.LooksLikeAnOption(first))
        {
            // A misspelt command ('verfy --log DIR'): the words after it are the options of the command meant, and
            // naming them as unknown, then adding that no command was given, would hide the one mistake made.
            WriteError(terminal, [Unmatched(first, atRoot: true)]);
            terminal.Error.WriteLine("Run 'access-report --help' for the commands and options.");
            return ExitCodes.UsageError;
        }

        if (parsed.UnmatchedTokens.Count > 0 || parsed.Errors.Count > 0)
        {
            foreach (var token in parsed.UnmatchedTokens)
            {
                WriteError(terminal, [Unmatched(token, parsed.CommandResult.Command == root)]);
            }

            foreach (var error in parsed.Errors)
            {
                WriteError(terminal, [NonEmptyValues.MissingValue(error) ?? error.Message]);
            }

            terminal.Error.WriteLine("Run 'access-report --help' for the commands and options.");
            return ExitCodes.UsageError;
        }

        // Help is written when it is invoked, and System.CommandLine offers "additional arguments passed to the
        // application" on every command that does not refuse unmatched words itself. Nothing was left unmatched here,
        // so the commands may refuse them again, and the help offers nothing the tool would refuse.
        TreatUnmatchedTokensAsErrors(root, true);

        // An exception no command expected is a failure to run, not a verdict: System.CommandLine's own handler
        // prints the stack trace and exits with 1, which verify gives for a broken log and report --strict for
        // problems found. It is one line naming what failed, with the exit code of input that could not be used.
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = terminal.Output, Error = terminal.Error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            var message = exception is ArgumentException argument ? GuardMessage.Of(argument) : exception.Message;
            WriteError(terminal, [$"{parsed.CommandResult.Command.Name}: could not finish: {exception.GetType().Name}: {message}"]);
            return ExitCodes.UsageError;
        }
    }

    public static RootCommand Create(Terminal terminal)
    {
        var root = new RootCommand("access-report: compliance reports of who read which personal data from where (access-event/1 in, access-report/1 out).");
        root.Subcommands.Add(CreateDemo(terminal));
        root.Subcommands.Add(CreateReport(terminal));
        root.Subcommands.Add(CreateVerify(terminal));
        foreach (var command in TransparencyCommands.Create(terminal))
        {
            root.Subcommands.Add(command);
        }

        NonEmptyValues.ApplyTo(root);
        OptionLikeValues.ApplyTo(root);
        TreatUnmatchedTokensAsErrors(root, false);
        return root;
    }

    // System.CommandLine calls an unknown option an "unrecognized command or argument"; the contract says
    // "unknown option", so Run words the tokens nothing matched itself, parsing with this off.
    private static void TreatUnmatchedTokensAsErrors(Command command, bool value)
    {
        command.TreatUnmatchedTokensAsErrors = value;
        foreach (var subcommand in command.Subcommands)
        {
            TreatUnmatchedTokensAsErrors(subcommand, value);
        }
    }

    private static string Unmatched(string token, bool atRoot) =>
        OptionLikeValues.LooksLikeAnOption(token) ? $"unknown option '{token}'."
        : atRoot ? $"unknown command '{token}'."
        : $"unexpected argument '{token}'.";

    private static Command CreateDemo(Terminal terminal)
    {
        var outOption = new Option<string>("--out")
        {
            HelpName = "DIR",
            Description = "The directory to write the log (DIR/log) and the reports into.",
            DefaultValueFactory = _ => DefaultDemoDirectory,
        };
        var eventsOption = WholeNumberOption.Int32("--events", "How many accesses to simulate, September 2021 to June 2022.", minimum: 1, DefaultDemoEvents);
        var seedOption = WholeNumberOption.Int32("--seed", "The random seed: the same seed gives the same report.", minimum: int.MinValue, DefaultDemoSeed);
        var otlpOption = new Option<string>("--otlp")
        {
            HelpName = "URL",
            Description = "Also export the audit's metrics, traces and logs (ids pseudonymised) over OTLP http/protobuf to this base URL, such as http://localhost:4318.",
        };
        var postgresOption = new Option<string>("--postgres")
        {
            HelpName = "CONNECTION",
            Description = $"Record into the PostgreSQL store of this Npgsql connection string (schema {DemoCommand.PostgresSchema}, replaced on each run) instead of DIR/log, and report from the database.",
        };
        var command = new Command("demo", "Simulate the Project Texas story through the library (DI, policy, recording into the durable log DIR/log keyed with DIR/demo-log.key), then write every report format into DIR.")
        {
            outOption,
            eventsOption,
            seedOption,
            otlpOption,
            postgresOption,
        };
        command.SetAction(parsed => Guarded(terminal, () =>
        {
            var otlp = parsed.GetValue(otlpOption) is { } url ? DemoTelemetry.ParseEndpoint(url) : null;
            return DemoCommand.Run(parsed.GetValue(outOption)!, parsed.GetValue(eventsOption), parsed.GetValue(seedOption), otlp, parsed.GetValue(postgresOption), terminal);
        }));
        return command;
    }

    private static Command CreateReport(Terminal terminal)
    {
        var logOption = new Option<string>("--log") { HelpName = "DIR", Description = "The audit log directory to read (its chain is verified while reading)." };
        var keyFileOption = CreateKeyFileOption();
        var eventsOption = new Option<string[]>("--events")
        {
            HelpName = "FILE",
            Description = "access-event/1 JSON Lines files to read (one or more); '-' reads standard input.",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var zoneOption = new Option<string>("--time-zone")
        {
            HelpName = "ZONE",
            Description = "The IANA time zone of --from, --to and the daily figures, such as America/Los_Angeles.",
            DefaultValueFactory = _ => "UTC",
        };
        var fromOption = new Option<string>("--from") { HelpName = "DATE", Description = "The first local date of the period, inclusive (yyyy-MM-dd)." };
        var toOption = new Option<string>("--to") { HelpName = "DATE", Description = "The last local date of the period, inclusive (yyyy-MM-dd)." };
        var formatOption = new Option<string>("--format")
        {
            HelpName = "FORMATS",
            Description = "The formats to write, comma-separated: html, md, csv, json.",
            DefaultValueFactory = _ => DefaultFormats,
        };
        var policyOption = new Option<string>("--policy") { HelpName = "POLICY", Description = "The policy: the preset name project-texas (default) or the path of a policy JSON file." };
        var reevaluateOption = new Option<bool>("--reevaluate") { Description = "Evaluate every event with the policy, ignoring recorded decisions." };
        var outOption = new Option<string>("--out")
        {
            HelpName = "DIR",
            Description = "The directory to write the report into.",
            DefaultValueFactory = _ => ".",
        };
        var needingActionOption = WholeNumberOption.Int32(
            "--needing-action-rows",
            "How many accesses needing action the HTML and Markdown list, most severe first; needing-action.csv lists them all.",
            minimum: 0,
            AccessReportOptions.DefaultNeedingActionRows);
        var postgresOption = CreatePostgresOption();
        var schemaOption = CreateSchemaOption();
        var strictOption = new Option<bool>("--strict") { Description = "Exit with 1 when any input or integrity problem was found (a broken chain, a missing key, dropped or removed records, lines that are not events)." };
        var command = new Command("report", "Write a report from the audit log (--log DIR), from access-event/1 files (--events FILE...) or from the PostgreSQL store (--postgres CONNECTION, computed in the database).")
        {
            logOption, keyFileOption, eventsOption, postgresOption, schemaOption, zoneOption, fromOption, toOption, formatOption, policyOption, reevaluateOption, outOption, needingActionOption, strictOption,
        };
        command.SetAction(parsed => Guarded(terminal, () =>
        {
            var log = parsed.GetValue(logOption);
            var files = EventSources.CheckEventFiles(parsed.GetValue(eventsOption) ?? [], terminal.Error);
            var postgres = parsed.GetValue(postgresOption);
            if ((log is null ? 0 : 1) + (files.Count == 0 ? 0 : 1) + (postgres is null ? 0 : 1) != 1)
            {
                throw new UsageException("give exactly one input: --log DIR, --events FILE... (or --events - for standard input), or --postgres CONNECTION");
            }

            var keyFile = parsed.GetValue(keyFileOption);
            if (keyFile is not null && log is null && postgres is null)
            {
                throw new UsageException("--key-file: only with --log DIR or --postgres CONNECTION (plain access-event/1 files have no chain).");
            }

            var schema = CheckSchema(parsed.GetValue(schemaOption), postgres);

            var keys = EventSources.ReadKeys(keyFile, terminal.Error);

            var zoneId = parsed.GetValue(zoneOption)!;
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
                ?? throw new UsageException($"--time-zone '{zoneId}': not an IANA time zone id (such as UTC, America/Los_Angeles, Asia/Shanghai).");
            var from = ParseDate("--from", parsed.GetValue(fromOption));
            var to = ParseDate("--to", parsed.GetValue(toOption));
            if (from is { } f && to is { } t && t < f)
            {
                throw new UsageException($"--to {LocalDatePattern.Iso.Format(t)} is before --from {LocalDatePattern.Iso.Format(f)}.");
            }

            var formatText = parsed.GetValue(formatOption)!;
            if (!AccessReportFiles.TryParseFormats(formatText, out var formats, out var formatError))
            {
                throw new UsageException($"--format '{formatText}': {formatError}.");
            }

            var options = new AccessReportOptions
            {
                Policy = PolicySource.Load(parsed.GetValue(policyOption)),
                Period = ReportPeriod.Create(from, to, zone),
                Reevaluate = parsed.GetValue(reevaluateOption),
                NeedingActionRows = parsed.GetValue(needingActionOption),
            };
            var request = new ReportRequest(log, keys, files, options, formats, parsed.GetValue(outOption)!, postgres, schema);
            var (report, written) = ReportRunner.Run(request, terminal);
            ConsoleSummary.Print(terminal.Console, report, written);
            return parsed.GetValue(strictOption) && report.HasProblems ? ExitCodes.ProblemsFound : ExitCodes.Written;
        }));
        return command;
    }

    private static Command CreateVerify(Terminal terminal)
    {
        var logOption = new Option<string>("--log") { HelpName = "DIR", Description = "The audit log directory to verify." };
        var postgresOption = CreatePostgresOption();
        var schemaOption = CreateSchemaOption();
        var keyFileOption = CreateKeyFileOption();
        var requireKeyOption = new Option<bool>("--require-key") { Description = "Succeed only when the chain is keyed and was checked with its key (verified): an unkeyed chain exits with 3." };
        var publicKeyOption = TransparencyCommands.CreatePublicKeyOption();
        var sinceOption = TransparencyCommands.CreateSinceOption();
        var witnessKeyOption = TransparencyCommands.CreateWitnessKeyOption();
        var minCosignaturesOption = TransparencyCommands.CreateMinCosignaturesOption();
        var saveHeadsOption = new Option<string>("--save-heads")
        {
            HelpName = "FILE",
            Description = "With --postgres: when the store verifies (exit 0), write every instance's head (instance id, last sequence number, chain value) to FILE (access-store-heads/1 JSON, replaced whole) to keep where the database's users cannot change it, and give it to --since next time.",
        };
        var command = new Command("verify", "Verify the hash chain of an audit log: exit 0 when verified (or verified-unkeyed), 1 when broken (the first break is printed), 2 on a usage error or an unreadable log, 3 when not verified with a key (no key file given, or one without the key id the log names; with --require-key, an unkeyed chain, or a tree checked without --key-file). With --public-key: verify its Merkle tree against its signed checkpoint (and, with --since, against a checkpoint kept earlier: a smaller own checkpoint is a rollback, exit 1) instead, and the chain too when --key-file is given; with --witness-key, exit 3 unless that checkpoint is cosigned by --min-cosignatures of the witnesses. With --postgres: verify every instance's chain in the store, and with --since the heads an earlier --save-heads kept (an instance gone, cut back or rewritten since then exits 1).")
        {
            logOption,
            postgresOption,
            schemaOption,
            keyFileOption,
            requireKeyOption,
            publicKeyOption,
            sinceOption,
            witnessKeyOption,
            minCosignaturesOption,
            saveHeadsOption,
        };
        command.SetAction(parsed => Guarded(terminal, () =>
        {
            var log = parsed.GetValue(logOption);
            var postgres = parsed.GetValue(postgresOption);
            var saveHeads = parsed.GetValue(saveHeadsOption);
            if ((log is null) == (postgres is null))
            {
                throw new UsageException("give exactly one input: --log DIR or --postgres CONNECTION");
            }

            var schema = CheckSchema(parsed.GetValue(schemaOption), postgres);
            var keyFile = parsed.GetValue(keyFileOption);
            var keys = EventSources.ReadKeys(keyFile, terminal.Error);

            // These shape the check of a signed checkpoint, which only --public-key makes; without it they would be
            // ignored in silence, and a script would take the exit code for a check it never got.
            List<string> checkpointOptions = [];
            if (parsed.GetValue(sinceOption) is not null)
            {
                checkpointOptions.Add(sinceOption.Name);
            }

            if (parsed.GetValue(witnessKeyOption) is { Length: > 0 })
            {
                checkpointOptions.Add(witnessKeyOption.Name);
            }

            if (parsed.GetValue(minCosignaturesOption) is not null)
            {
                checkpointOptions.Add(minCosignaturesOption.Name);
            }

            if (postgres is not null)
            {
                // --since takes the store's kept heads here; the other checkpoint options have nothing to check.
                if (parsed.GetValue(publicKeyOption) is { Length: > 0 } || checkpointOptions.Any(name => name != sinceOption.Name))
                {
                    throw new UsageException("--public-key, --witness-key and --min-cosignatures: only with --log DIR (the PostgreSQL store has no signed checkpoints; its kept heads go to --since).");
                }

                return PostgreSqlSource.Verify(postgres, schema, keyFile, keys, parsed.GetValue(requireKeyOption), parsed.GetValue(sinceOption), saveHeads, terminal);
            }

            if (saveHeads is not null)
            {
                throw new UsageException("--save-heads: only with --postgres CONNECTION (a file log is kept by its signed checkpoints: access-report checkpoint).");
            }

            EventSources.CheckLogDirectory(log!);
            if (parsed.GetValue(publicKeyOption) is { Length: > 0 } publicKeys)
            {
                // An auditor with the public key only: the tree. With the chain keys as well, both must hold.
                // --require-key without the keys checks the chain too, so that it says it could not check it with a
                // key (exit 3) as it does without --public-key, rather than pass on the tree alone.
                var tree = TransparencyCommands.Verify(log!, publicKeys, parsed.GetValue(sinceOption), parsed.GetValue(witnessKeyOption), parsed.GetValue(minCosignaturesOption), terminal);
                var requireKey = parsed.GetValue(requireKeyOption);
                return tree != ExitCodes.Written || (keys is null && !requireKey) ? tree : LogVerification.Run(log!, keyFile, keys, requireKey, terminal);
            }

            if (checkpointOptions.Count > 0)
            {
                var names = checkpointOptions.Count == 1 ? $"{checkpointOptions[0]} needs" : $"{string.Join(", ", checkpointOptions[..^1])} and {checkpointOptions[^1]} need";
                throw new UsageException($"{names} --public-key: checkpoints are checked with the log's public key.");
            }

            return LogVerification.Run(log!, keyFile, keys, parsed.GetValue(requireKeyOption), terminal);
        }));
        return command;
    }

    private static Option<string> CreatePostgresOption() => new("--postgres")
    {
        HelpName = "CONNECTION",
        Description = "The Npgsql connection string of the PostgreSQL store, such as 'Host=db;Database=app;Username=audit' (a password is better given by PGPASSWORD or ~/.pgpass than on the command line).",
    };

    private static Option<string> CreateSchemaOption() => new("--schema")
    {
        HelpName = "SCHEMA",
        Description = $"The schema of the PostgreSQL store (with --postgres); default {DataAccessAudit.PostgreSql.PostgreSqlStoreOptions.DefaultSchema}.",
    };

    private static string CheckSchema(string? schema, string? postgres)
    {
        if (schema is not null && postgres is null)
        {
            throw new UsageException("--schema: only with --postgres CONNECTION.");
        }

        // Without --postgres the schema is the default and no store is made: checking it would build a PostgreSQL
        // data source on every verify and report, a noticeable part of a short run's start-up.
        if (schema is null)
        {
            return DataAccessAudit.PostgreSql.PostgreSqlStoreOptions.DefaultSchema;
        }

        PostgreSqlSource.CheckSchema(schema);
        return schema;
    }

    private static Option<string> CreateKeyFileOption() => new("--key-file")
    {
        HelpName = "FILE",
        Description = "The chain keys of a keyed log, one 'id:base64' a line (as the demo writes to DIR/demo-log.key).",
    };

    private static LocalDate? ParseDate(string option, string? text)
    {
        if (text is null)
        {
            return null;
        }

        var result = LocalDatePattern.Iso.Parse(text);
        return result.Success && result.Value >= ReportPeriod.MinDate && result.Value <= ReportPeriod.MaxDate
            ? result.Value
            : throw new UsageException($"{option} '{text}': expected a date as yyyy-MM-dd from 0001-01-01 to 9999-12-31, such as 2021-09-01.");
    }

    // Runs a command's action: a usage error is printed (WriteError) and exits with 2. Every command runs through it.
    internal static int Guarded(Terminal terminal, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (UsageException exception)
        {
            WriteError(terminal, exception.Lines);
            return ExitCodes.UsageError;
        }
    }

    // Each line escaped on its own: a value's control characters and line breaks are shown, never obeyed, while the
    // lines after the first (one problem each) keep theirs, indented under the first.
    private static void WriteError(Terminal terminal, IReadOnlyList<string> lines)
    {
        terminal.Error.WriteLine($"error: {VisibleText.Escape(lines[0])}");
        foreach (var line in lines.Skip(1))
        {
            terminal.Error.WriteLine($"  {VisibleText.Escape(line)}");
        }
    }
}
