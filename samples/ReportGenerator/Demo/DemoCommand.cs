using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Spectre.Console;

namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// <c>demo</c>: records the story through the library as an app would (DI, the policy, the auditor, a sink writing
/// <c>DIR/log</c>), reads the log back through the same path as <c>report --log</c>, and writes every format into DIR.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The zone of the demo's report: US Data Security's, where the story's compliance team sits.</summary>
    public const string TimeZoneId = "America/Los_Angeles";

    public static int Run(string outputDirectory, int events, int seed, Terminal terminal)
    {
        var logDirectory = Path.Combine(outputDirectory, "log");
        try
        {
            RecordAsync(logDirectory, events, seed, terminal).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out '{outputDirectory}': cannot write the log: {exception.Message}", exception);
        }

        var zone = DateTimeZoneProviders.Tzdb[TimeZoneId];
        var options = new AccessReportOptions
        {
            Policy = AccessPolicy.ProjectTexas,
            Period = ReportPeriod.Create(new LocalDate(2021, 9, 1), new LocalDate(2022, 6, 30), zone),
        };
        var request = new ReportRequest(logDirectory, [], options, ReportFormats.All, outputDirectory);
        var (report, files) = ReportRunner.Run(request, terminal);
        ConsoleSummary.Print(terminal.Console, report, files);
        return ExitCodes.Written;
    }

    private static async Task RecordAsync(string logDirectory, int events, int seed, Terminal terminal)
    {
        var clock = new FakeClock(DemoStory.Start);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddDataAccessAudit(audit => audit.UsePolicy(AccessPolicy.ProjectTexas).AddDemoLog(logDirectory));
        var provider = services.BuildServiceProvider();
        await using (provider.ConfigureAwait(false))
        {
            var auditor = provider.GetRequiredService<IAccessAuditor>();
            var story = new DemoStory(auditor, clock, seed);
            if (terminal.IsInteractive)
            {
                terminal.Console.Progress().Start(context =>
                {
                    var task = context.AddTask("Recording accesses", maxValue: events);
                    story.Record(events, done => task.Value = done);
                    task.Value = events;
                });
            }
            else
            {
                story.Record(events);
            }

            await auditor.FlushAsync().ConfigureAwait(false);
        }
    }
}
