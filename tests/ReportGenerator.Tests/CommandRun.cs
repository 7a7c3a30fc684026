namespace DataAccessAudit.ReportGenerator.Tests;

// Runs access-report in-process, capturing what it prints.
internal sealed record CommandRun(int ExitCode, string Output, string Error)
{
    // The SOURCE_DATE_EPOCH of every run unless a test says otherwise, so that two runs over the same input write the
    // same bytes, as a reproducible build would: 2023-11-14T22:13:20Z.
    public const string Epoch = "1700000000";

    public static CommandRun Of(params string[] args) => WithInput([], args);

    // Runs with the given bytes as standard input.
    public static CommandRun WithInput(byte[] input, params string[] args) => In(input, new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = Epoch }, args);

    // Runs with the given standard input and environment variables (and no others).
    public static CommandRun In(byte[] input, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = AccessReportCommandLine.Run(args, Terminal.Plain(output, error, () => new MemoryStream(input), name => environment.GetValueOrDefault(name)));
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }
}
