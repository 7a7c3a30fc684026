namespace DataAccessAudit.ReportGenerator.Tests;

public sealed class ReportNeedingActionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-action-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Report_NeedingActionRows_ListsThatManyOnThePage_AndAllInTheCsv()
    {
        var events = Path.Combine(_directory, "events.jsonl");
        File.WriteAllLines(events, Enumerable.Range(1, 5).Select(i =>
            $$"""{"schema":"access-event/1","id":"e{{i}}","time":"2021-09-1{{i}}T07:31:02Z","requester":{"id":"emp-{{i}}","region":"CN"},"resource":{"id":"user/{{i}}/messages","type":"direct-message","category":"protected","region":"US"},"action":"read"}"""));
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events, "--needing-action-rows", "2", "--out", output);

        Assert.Equal(0, run.ExitCode);
        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("The first 2 of 5 are listed", html, StringComparison.Ordinal);
        var csv = File.ReadAllLines(Path.Combine(output, "needing-action.csv"));
        Assert.Equal(6, csv.Length);

        // Newest first: the 15th, then the 14th...
        Assert.Equal(["e5", "e4", "e3", "e2", "e1"], csv.Skip(1).Select(row => row.Split(',')[3]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Report_AccessesInOneTick_ListTheNewerFirstInTheCsv_WhicheverComesFirstInTheFile(bool newerFirst)
    {
        static string At(string time, string requester) =>
            $$"""{"schema":"access-event/1","id":"X","time":"{{time}}","requester":{"id":"{{requester}}","region":"SG"},"resource":{"id":"x","category":"protected","region":"US"},"action":"read"}""";
        var older = At("2021-09-14T07:31:02.00000001Z", "older");
        var newer = At("2021-09-14T07:31:02.00000009Z", "newer");
        var events = Path.Combine(_directory, "events.jsonl");
        File.WriteAllLines(events, newerFirst ? [newer, older] : [older, newer]);
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events, "--format", "csv", "--out", output);

        Assert.Equal(0, run.ExitCode);
        var csv = File.ReadAllLines(Path.Combine(output, "needing-action.csv"));
        Assert.Equal(["newer", "older"], csv.Skip(1).Select(row => row.Split(',')[4]));
        Assert.StartsWith("2021-09-14T07:31:02.00000009Z,", csv[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Report_NegativeNeedingActionRows_IsAUsageError()
    {
        var events = Path.Combine(_directory, "events.jsonl");
        File.WriteAllText(events, string.Empty);

        var run = CommandRun.Of("report", "--events", events, "--needing-action-rows", "-1", "--out", Path.Combine(_directory, "out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--needing-action-rows '-1': expected a whole number from 0 to 2147483647.", run.Error, StringComparison.Ordinal);
    }
}
