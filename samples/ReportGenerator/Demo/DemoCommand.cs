using System.Diagnostics;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.BulkData;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Spectre.Console;

namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// <c>demo</c>: records the story through the library as an app would (DI, the policy, the auditor, the durable log
/// in <c>DIR/log</c> keyed with <c>DIR/demo-log.key</c>, and with <c>--otlp</c> OpenTelemetry export), reads the log
/// back through the same path as <c>report --log</c>, and writes every format into DIR. With <c>--postgres</c> it records
/// into the PostgreSQL store instead (schema <see cref="PostgresSchema"/>, keyed the same way) and reports from it, as
/// <c>report --postgres</c> does.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The zone of the demo's report: US Data Security's, where the story's compliance team sits.</summary>
    public const string TimeZoneId = "America/Los_Angeles";

    /// <summary>The schema the demo records into with <c>--postgres</c>: its own, dropped and created again on each run.</summary>
    public const string PostgresSchema = "access_report_demo";

    /// <summary>The writing instance the demo records as with <c>--postgres</c>.</summary>
    public const string PostgresInstanceId = "access-report-demo";

    public static int Run(string outputDirectory, int events, int seed, Uri? otlp, string? postgres, Terminal terminal)
    {
        OutputDirectory.Check(outputDirectory);
        var logDirectory = Path.Combine(outputDirectory, "log");
        var keyFile = DemoLog.KeyFileOf(outputDirectory);
        var keys = FileLogKeyRing.Generate(DemoLog.KeyId);
        if (postgres is null)
        {
            DemoLog.CheckOwnOutput(logDirectory, outputDirectory);
        }

        using var run = DemoRunLock.Acquire(outputDirectory);   // until the reports are written
        if (postgres is not null)
        {
            DemoDatabase.Reset(postgres, PostgresSchema);
        }

        try
        {
            Directory.CreateDirectory(outputDirectory);
            RecordAsync(audit => _ = postgres is null
                    ? audit.AddDemoLog(logDirectory, keys)
                    : audit.UsePostgreSql(o => DemoDatabase.Configure(o, postgres, keys)),
                postgres is null ? () => DemoLog.StartRun(logDirectory, keys, keyFile) : () => keys.Write(keyFile),
                events, seed, otlp, terminal).GetAwaiter().GetResult();

            // The policy beside the log, so that 'report --policy' over the log gives the demo's report again.
            File.WriteAllText(PolicyFileOf(outputDirectory), AccessPolicyJson.Format(AccessPolicyOptions.FromPolicy(Policy)) + "\n");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out '{outputDirectory}': cannot write the log: {exception.Message}", exception);
        }

        var zone = DateTimeZoneProviders.Tzdb[TimeZoneId];
        var options = new AccessReportOptions
        {
            Policy = Policy,
            Period = ReportPeriod.Create(new LocalDate(2021, 9, 1), new LocalDate(2022, 6, 30), zone),
        };
        var request = postgres is null
            ? new ReportRequest(logDirectory, EventSources.ReadKeys(keyFile, terminal.Error), [], options, ReportFormats.All, outputDirectory)
            : new ReportRequest(null, EventSources.ReadKeys(keyFile, terminal.Error), [], options, ReportFormats.All, outputDirectory, postgres, PostgresSchema);
        var (report, files) = ReportRunner.Run(request, terminal);
        ConsoleSummary.Print(terminal.Console, report, files);
        // Plain text, not markup: a long path must not be wrapped, so the line can be copied as it is.
        terminal.Output.WriteLine(postgres is null
            ? $"Verify the log's chain yourself: {VerifyCommandLine(logDirectory, keyFile)}"
            : $"Verify the store's chains yourself: access-report verify --postgres {Quote(DemoDatabase.WithoutPassword(postgres))} --schema {PostgresSchema} --key-file {Quote(keyFile)}");
        return ExitCodes.Written;
    }

    /// <summary>
    /// The demo's policy: the Project Texas preset with the US bulk-data thresholds (28 CFR 202), ByteDance listed as a
    /// covered person, so that its employees' accesses add up as the rule aggregates them.
    /// </summary>
    public static AccessPolicy Policy { get; } =
        AccessPolicy.ProjectTexas.WithBulkData(BulkDataPolicy.DataSecurityProgram.WithCoveredOrganizations(["ByteDance"]));

    /// <summary>Gets the file the demo writes its policy to.</summary>
    /// <param name="outputDirectory">The demo's output directory.</param>
    /// <returns>The path of <c>policy.json</c> in it.</returns>
    public static string PolicyFileOf(string outputDirectory) => Path.Combine(outputDirectory, "policy.json");

    /// <summary>The command that verifies the demo's log, as the demo prints it.</summary>
    public static string VerifyCommandLine(string logDirectory, string keyFile) =>
        $"access-report verify --log {Quote(logDirectory)} --key-file {Quote(keyFile)}";

    private static string Quote(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '&' or ';')
        ? $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'"
        : path;

    private static async Task RecordAsync(Action<IDataAccessAuditBuilder> addStore, Action startRun, int events, int seed, Uri? otlp, Terminal terminal)
    {
        var clock = new StoryClock(DemoStory.Start);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddDataAccessAudit(audit =>
        {
            addStore(audit.UsePolicy(Policy));
            if (otlp is not null)
            {
                DemoTelemetry.AddPseudonyms(audit);
            }
        });
        if (otlp is not null)
        {
            DemoTelemetry.AddOtlpExport(services, otlp);
        }

        var provider = services.BuildServiceProvider();
        await using (provider.ConfigureAwait(false))
        {
            var telemetry = otlp is null ? null : DemoTelemetry.Start(provider);
            // Resolving the auditor opens the log's writer, which holds the directory: only then is an earlier run's
            // output removed, so a second demo on the same --out fails before it touches the first one's log.
            var auditor = provider.GetRequiredService<IAccessAuditor>();
            startRun();
            var story = new DemoStory(auditor, clock, seed);
            var activity = telemetry is null ? null : DemoTelemetry.StartActivity();
            try
            {
                if (terminal.IsInteractive)
                {
                    terminal.Console.Progress().Start(context =>
                    {
                        var task = context.AddTask("Recording accesses", maxValue: events);
                        story.Record(events, done =>
                        {
                            task.Value = done;
                            activity = telemetry is null ? null : DemoTelemetry.NextActivity(activity);
                        });
                        task.Value = events;
                    });
                }
                else
                {
                    story.Record(events, _ => activity = telemetry is null ? null : DemoTelemetry.NextActivity(activity));
                }
            }
            finally
            {
                activity?.Dispose();
            }

            await auditor.FlushAsync().ConfigureAwait(false);
            telemetry?.Flush(terminal);
        }
    }
}
