using System.Globalization;
using System.Reflection;
using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using NodaTime;
using Spectre.Console;

namespace DataAccessAudit.ReportGenerator;

/// <summary>Reads the input of a request through <see cref="EventSources"/>, builds the report and writes its files.</summary>
internal static class ReportRunner
{
    private const int ProblemsPrinted = 10;

    /// <summary>The environment variable that fixes <c>source.generatedAt</c>, so that output is reproducible.</summary>
    public const string SourceDateEpoch = "SOURCE_DATE_EPOCH";

    /// <summary>The tool and its version, as the report's source names it.</summary>
    public static string Tool { get; } = "access-report " +
        (typeof(ReportRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");

    public static (AccessReport Report, IReadOnlyList<string> Files) Run(ReportRequest request, Terminal terminal)
    {
        OutputDirectory.Check(request.OutputDirectory);
        var generatedAt = GeneratedAt(terminal);
        var report = request.Postgres is { } connection
            ? PostgreSqlSource.Report(connection, request.Schema, request.LogKeys, request.Options, new ReportSource([], Tool, generatedAt))
            : FromFiles(request, terminal, generatedAt);
        IReadOnlyList<string> files;
        try
        {
            files = AccessReportFiles.Write(report, request.OutputDirectory, request.Formats);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out '{request.OutputDirectory}': cannot write the report: {exception.Message}", exception);
        }
        finally
        {
            // The full list of accesses needing action is written; its temporary runs can go (the first rows stay).
            report.NeedingAction.Dispose();
        }

        PrintProblems(terminal, report);
        return (report, files);
    }

    /// <summary>
    /// When the report is generated: <c>SOURCE_DATE_EPOCH</c> (whole seconds since 1970-01-01T00:00:00Z) when set, so
    /// that the same input gives byte-identical output; otherwise now.
    /// </summary>
    public static Instant GeneratedAt(Terminal terminal)
    {
        var epoch = terminal.Environment(SourceDateEpoch);
        if (string.IsNullOrEmpty(epoch))
        {
            return SystemClock.Instance.GetCurrentInstant();
        }

        return long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= Instant.MaxValue.ToUnixTimeSeconds()
            ? Instant.FromUnixTimeSeconds(seconds)
            : throw new UsageException($"{SourceDateEpoch} '{VisibleText.Escape(epoch)}': expected whole seconds since 1970-01-01T00:00:00Z, such as 1700000000.");
    }

    // The builder's tables are freed on return; the report keeps what it needs (its accesses needing action included).
    private static AccessReport FromFiles(ReportRequest request, Terminal terminal, Instant generatedAt)
    {
        using var builder = new AccessReportBuilder(request.Options);
        var (integrity, inputs) = WithProgress(terminal, request, builder);
        return builder.Build(integrity, new ReportSource(inputs, Tool, generatedAt));
    }

    // The log states its own integrity and is cited by its chain; plain files are unverified and cited by their bytes.
    private static (ReportIntegrity Integrity, IReadOnlyList<ReportSourceFile> Inputs) WithProgress(Terminal terminal, ReportRequest request, AccessReportBuilder builder)
    {
        (ReportIntegrity, IReadOnlyList<ReportSourceFile>) Read(IProgress<long>? progress) => request.LogDirectory is { } log
            ? (EventSources.ReadLog(log, request.LogKeys, builder, progress), [])
            : (ReportIntegrity.Unverified, EventSources.ReadEvents(request.EventFiles, terminal.OpenInput, builder, progress));

        if (!terminal.IsInteractive)
        {
            return Read(null);
        }

        var total = EventSources.SizeOf(request.LogDirectory is { } dir ? EventSources.LogFiles(dir) : request.EventFiles);
        (ReportIntegrity, IReadOnlyList<ReportSourceFile>) read = (ReportIntegrity.Unverified, []);
        terminal.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("Reading events", maxValue: Math.Max(1, total));
                read = Read(new Progress<long>(bytes => task.Value = bytes));
                task.Value = task.MaxValue;
            });
        return read;
    }

    private static void PrintProblems(Terminal terminal, AccessReport report)
    {
        foreach (var problem in report.Integrity.Problems.Take(ProblemsPrinted))
        {
            terminal.Error.WriteLine($"integrity: {VisibleText.Escape(problem.ToString())}");
        }

        foreach (var problem in report.InputProblems.Take(ProblemsPrinted))
        {
            terminal.Error.WriteLine($"input problem: {VisibleText.Escape(problem.ToString())}");
        }

        if (report.InputProblemCount > ProblemsPrinted)
        {
            terminal.Error.WriteLine($"... {ReportFigures.Count(report.InputProblemCount - ProblemsPrinted, "more input problem", "more input problems")} listed in the report.");
        }
    }
}
