namespace DataAccessAudit.ReportGenerator.Tests;

// Runs access-report in-process, capturing what it prints.
internal sealed record CommandRun(int ExitCode, string Output, string Error)
{
    public static CommandRun Of(params string[] args) => WithInput([], args);

    // Runs with the given bytes as standard input.
    public static CommandRun WithInput(byte[] input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = AccessReportCommandLine.Run(args, Terminal.Plain(output, error, () => new MemoryStream(input)));
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }
}
