using DataAccessAudit.Reporting;
using DataAccessAudit.Reporting.Formats;
using Spectre.Console;

namespace DataAccessAudit.ReportGenerator;

/// <summary>Reads the input of a request through <see cref="EventSources"/>, builds the report and writes its files.</summary>
internal static class ReportRunner
{
    private const int ProblemsPrinted = 10;

    public static (AccessReport Report, IReadOnlyList<string> Files) Run(ReportRequest request, Terminal terminal)
    {
        var builder = new AccessReportBuilder(request.Options);
        var integrity = WithProgress(terminal, request, builder);
        var report = builder.Build(integrity);
        IReadOnlyList<string> files;
        try
        {
            files = AccessReportFiles.Write(report, request.OutputDirectory, request.Formats);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out '{request.OutputDirectory}': cannot write the report: {exception.Message}", exception);
        }

        PrintProblems(terminal, report);
        return (report, files);
    }

    private static ReportIntegrity WithProgress(Terminal terminal, ReportRequest request, AccessReportBuilder builder)
    {
        ReportIntegrity Read(IProgress<long>? progress) => request.LogDirectory is { } log
            ? EventSources.ReadLog(log, request.LogKeys, builder, progress)
            : EventSources.ReadEvents(request.EventFiles, terminal.OpenInput, builder, progress);

        if (!terminal.IsInteractive)
        {
            return Read(null);
        }

        var total = EventSources.SizeOf(request.LogDirectory is { } dir ? EventSources.LogFiles(dir) : request.EventFiles);
        ReportIntegrity integrity = ReportIntegrity.Unverified;
        terminal.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("Reading events", maxValue: Math.Max(1, total));
                integrity = Read(new Progress<long>(bytes => task.Value = bytes));
                task.Value = task.MaxValue;
            });
        return integrity;
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
            terminal.Error.WriteLine($"... {report.InputProblemCount - ProblemsPrinted} more input problems listed in the report.");
        }
    }
}
