using System.Diagnostics;
using System.Text.Json;

namespace DataAccessAudit.ReportGenerator.Tests;

public sealed class ReportCommandTests : IDisposable
{
    private const string GoodLine = """{"schema":"access-event/1","id":"e1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"user/8812/messages","type":"direct-message","category":"protected","region":"US","storedIn":"US"},"action":"read"}""";
    private const string OtherLine = """{"schema":"access-event/1","id":"e2","time":"2021-09-15T07:31:02Z","requester":{"id":"emp-1","region":"US"},"resource":{"id":"user/1/messages","type":"direct-message","category":"protected","region":"US"},"action":"read"}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Report_EventsFile_WritesAllFormatsAndExitsZero()
    {
        var events = Write("events.jsonl", GoodLine, OtherLine);
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events, "--out", output);

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.True(File.Exists(Path.Combine(output, "report.md")));
        Assert.True(File.Exists(Path.Combine(output, "requesters.csv")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(2, json.RootElement.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Contains("Data access report", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Report_OutIsAFile_ExitsTwoSayingItIsAFileNotADirectory()
    {
        var events = Write("events.jsonl", GoodLine);

        var run = CommandRun.Of("report", "--events", events, "--out", events);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: --out '{events}': is a file, not a directory; expected the directory to write into", run.Error, StringComparison.Ordinal);
        Assert.Equal(GoodLine + "\n", File.ReadAllText(events));
    }

    [Fact]
    public void Report_OutUnderAFile_ExitsTwoNamingTheParentThatIsAFile()
    {
        var events = Write("events.jsonl", GoodLine);
        var output = Path.Combine(events, "out", "report");

        var run = CommandRun.Of("report", "--events", events, "--out", output);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: --out '{output}': its parent '{events}' is a file, not a directory", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Could not find a part of the path", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_EventsDash_ReadsStandardInputAndNamesItInProblems()
    {
        var output = Path.Combine(_directory, "out");
        var input = System.Text.Encoding.UTF8.GetBytes(GoodLine + "\n" + OtherLine + "\nnot json\n");

        var run = CommandRun.WithInput(input, "report", "--events", "-", "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(2, json.RootElement.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Contains("input problem: stdin:3: not valid JSON", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_EventsDashWithFiles_IsAUsageError()
    {
        var events = Write("events.jsonl", GoodLine);

        var run = CommandRun.Of("report", "--events", "-", events, "--out", Path.Combine(_directory, "out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --events -: standard input is read alone; give either '-' or files.", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-x")]
    public void Report_UnknownOptionAfterEvents_IsReportedAsAnUnknownOption(string option)
    {
        var events = Write("events.jsonl", GoodLine);

        var run = CommandRun.Of("report", "--events", events, option, "--out", Path.Combine(_directory, "out"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: unknown option '{option}' (a file whose name starts with '-' can be given as ./{option}).", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not found", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")));
    }

    [Fact]
    public void Report_SameFileTwice_IsReadOnceWithAWarning()
    {
        var events = Write("events.jsonl", GoodLine, OtherLine);
        var output = Path.Combine(_directory, "out");
        var sameFileOtherSpelling = Path.Combine(_directory, ".", "events.jsonl");

        var run = CommandRun.Of("report", "--events", events, sameFileOtherSpelling, "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(2, json.RootElement.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Equal($"warning: --events '{sameFileOtherSpelling}' is given more than once; it is read once.{Environment.NewLine}", run.Error);
    }

    [Theory]
    [InlineData("symbolic")]
    [InlineData("hard")]
    public void Report_SameFileThroughALink_IsReadOnceWithAWarning(string kind)
    {
        var events = Write("events.jsonl", GoodLine, OtherLine);
        var output = Path.Combine(_directory, "out");
        var link = Path.Combine(_directory, "link-to-events.jsonl");
        if (kind == "symbolic")
        {
            File.CreateSymbolicLink(link, events);
        }
        else
        {
            Run("ln", events, link);
        }

        var run = CommandRun.Of("report", "--events", events, "--events", link, "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(2, json.RootElement.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Equal($"warning: --events '{link}' is given more than once; it is read once.{Environment.NewLine}", run.Error);
    }

    [Fact]
    public async Task Report_TwoPipes_AreBothRead()
    {
        var first = Path.Combine(_directory, "first.fifo");
        var second = Path.Combine(_directory, "second.fifo");
        Run("mkfifo", first, second);
        var output = Path.Combine(_directory, "out");
        var writers = new[] { (first, GoodLine), (second, OtherLine) }
            .Select(pipe => Task.Run(() => File.WriteAllTextAsync(pipe.Item1, pipe.Item2 + "\n", TestContext.Current.CancellationToken))) // opening a FIFO blocks until it is read
            .ToArray();

        var run = CommandRun.Of("report", "--events", first, second, "--format", "json", "--out", output);

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(2, json.RootElement.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Report_HostileIdsAndFileNames_AreEscapedOnTheConsoleAndStderr()
    {
        const string Hostile = "e\u001B[2J\u202Ex\u009B";
        var line = GoodLine.Replace("\"emp-4411\"", JsonSerializer.Serialize(Hostile), StringComparison.Ordinal);
        var events = Write("ev\u001B[2Jil\r\nfake.jsonl", line, "{\"id\":\"\u202E\u001B[31m\"}");
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events, "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        var all = run.Output + run.Error;
        Assert.DoesNotContain('\u001B', all);
        Assert.DoesNotContain('\u0007', all);
        Assert.DoesNotContain('\u009B', all);
        Assert.DoesNotContain('\u202E', all);
        Assert.Contains("e\\u001B[2J\\u202Ex\\u009B", run.Output, StringComparison.Ordinal);
        Assert.Contains("input problem: " + events.Replace("\u001B", "\\u001B", StringComparison.Ordinal).Replace("\r", "\\u000D", StringComparison.Ordinal).Replace("\n", "\\u000A", StringComparison.Ordinal) + ":2: ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Report_MissingFileWithControlCharacters_ErrorIsOneEscapedLine()
    {
        var run = CommandRun.Of("report", "--events", Path.Combine(_directory, "no\u001B[2J\nsuch.jsonl"), "--out", Path.Combine(_directory, "out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no\\u001B[2J\\u000Asuch.jsonl': file not found.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001B', run.Error);
    }

    [Theory]
    [InlineData("UTC", "2021-09-14", "9999-12-31", 2)]
    [InlineData("America/Los_Angeles", "9999-12-31", "9999-12-31", 0)]
    [InlineData("Asia/Shanghai", "0001-01-01", "0001-01-31", 0)]
    [InlineData("Pacific/Apia", "2011-12-30", "2011-12-30", 0)]
    [InlineData("Pacific/Apia", "2011-12-29", "2011-12-31", 0)]
    public void Report_PeriodAtTheEdgesOfTheCalendarOrOnASkippedDate_IsWritten(string zone, string from, string to, long events)
    {
        var events0 = Write("events.jsonl", GoodLine, OtherLine);
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events0, "--time-zone", zone, "--from", from, "--to", to, "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(events, json.RootElement.GetProperty("totals").GetProperty("events").GetInt64());
    }

    [Theory]
    [InlineData("--from", "0000-12-31")]
    [InlineData("--to", "-0001-01-01")]
    [InlineData("--to", "10000-01-01")]
    public void Report_DateOutsideTheCalendar_IsAUsageError(string option, string date)
    {
        var events = Write("events.jsonl", GoodLine);

        var run = CommandRun.Of("report", "--events", events, option, date, "--out", Path.Combine(_directory, "out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {option} '{date}': expected a date as yyyy-MM-dd from 0001-01-01 to 9999-12-31, such as 2021-09-01.{Environment.NewLine}", run.Error);
    }

    [Fact]
    public void Report_EventPastTheLastDateInTheZone_IsAnInputProblemNotACrash()
    {
        var late = GoodLine.Replace("2021-09-14T07:31:02Z", "9999-12-31T20:00:00Z", StringComparison.Ordinal);
        var events = Write("events.jsonl", GoodLine, late);
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events, "--time-zone", "Asia/Shanghai", "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"input problem: {events}:2: time 9999-12-31T20:00:00Z falls on a local date in Asia/Shanghai outside 0001-01-01 to 9999-12-31", run.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(1, json.RootElement.GetProperty("totals").GetProperty("events").GetInt64());
    }

    [Fact]
    public void Report_EventPastTheLastDateInTheZone_IsAnInputProblemOutsideThePeriodToo()
    {
        var late = GoodLine.Replace("2021-09-14T07:31:02Z", "9999-12-31T14:30:59Z", StringComparison.Ordinal);
        var events = Write("events.jsonl", GoodLine, late);
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events, "--time-zone", "Pacific/Apia", "--from", "2021-01-01", "--to", "2021-01-31", "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"input problem: {events}:2: time 9999-12-31T14:30:59Z falls on a local date in Pacific/Apia outside 0001-01-01 to 9999-12-31", run.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(1, json.RootElement.GetProperty("inputProblemCount").GetInt64());
    }

    [Fact]
    public void Report_SeveralFiles_ListsTheirProblemsInTheOrderGiven_InEveryFormatAndOnTheConsole()
    {
        var p1 = Write("p1.jsonl", "not json 1");
        var p2 = Write("p2.jsonl", GoodLine, "not json 2");
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", p2, "--events", p1, "--out", output);

        Assert.Equal(0, run.ExitCode);
        Assert.True(run.Error.IndexOf($"{p2}:2:", StringComparison.Ordinal) < run.Error.IndexOf($"{p1}:1:", StringComparison.Ordinal), run.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal([p2, p1], json.RootElement.GetProperty("inputProblems").EnumerateArray().Select(p => p.GetProperty("source").GetString()));
        Assert.Equal([p2, p1], json.RootElement.GetProperty("source").GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        foreach (var page in new[] { "report.html", "report.md", "problems.csv" })
        {
            var text = File.ReadAllText(Path.Combine(output, page));
            Assert.True(text.IndexOf("p2.jsonl", StringComparison.Ordinal) < text.IndexOf("p1.jsonl", StringComparison.Ordinal), page);
        }
    }

    [Fact]
    public void Report_PeriodWithoutEvents_SaysHowManyEventsLieOutsideIt()
    {
        var events = Write("events.jsonl", GoodLine, OtherLine);
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events, "--from", "2021-10-01", "--to", "2021-10-31", "--format", "md", "--out", output);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("no events in this period (2 events outside it)", run.Output, StringComparison.Ordinal);
        Assert.Contains("No events in this period (2 events outside it).", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_SeveralEventsFiles_ReadsAll()
    {
        var first = Write("a.jsonl", GoodLine);
        var second = Write("b.jsonl", OtherLine);
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", first, second, "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal(2, json.RootElement.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Single(Directory.GetFiles(output));
    }

    [Fact]
    public void Report_PeriodAndZone_AreApplied()
    {
        var events = Write("events.jsonl", GoodLine, OtherLine);
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events, "--time-zone", "America/Los_Angeles", "--from", "2021-09-14", "--to", "2021-09-14", "--format", "json", "--out", output);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Equal("2021-09-14T07:00:00Z", root.GetProperty("period").GetProperty("fromInstant").GetString());
    }

    [Fact]
    public void Report_BadLine_ExitsZeroAndNamesFileLineAndReason()
    {
        var events = Write("events.jsonl", GoodLine, "{\"schema\":\"access-event/1\"");
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events, "--out", output);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"{events}:2: not valid JSON", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_BadLineWithStrict_ExitsOne()
    {
        var events = Write("events.jsonl", GoodLine, "not json");
        var output = Path.Combine(_directory, "out");

        var run = CommandRun.Of("report", "--events", events, "--strict", "--format", "json", "--out", output);

        Assert.Equal(1, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(output, "report.json")));
    }

    [Fact]
    public void Report_CleanInputWithStrict_ExitsZero()
    {
        var events = Write("events.jsonl", GoodLine);

        var run = CommandRun.Of("report", "--events", events, "--strict", "--format", "json", "--out", Path.Combine(_directory, "out"));

        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void Report_Reevaluate_OverridesRecordedDecisions()
    {
        var recorded = GoodLine[..^1] + ""","decision":{"outcome":"allowed","crossBorder":false,"findings":[]}}""";
        var events = Write("events.jsonl", recorded);
        var output = Path.Combine(_directory, "out");

        var kept = CommandRun.Of("report", "--events", events, "--format", "json", "--out", output);
        var keptFlagged = Flagged(output);
        var reevaluated = CommandRun.Of("report", "--events", events, "--format", "json", "--reevaluate", "--out", output);

        Assert.Equal(0, kept.ExitCode);
        Assert.Equal(0, reevaluated.ExitCode);
        Assert.Equal(0, keptFlagged);
        Assert.Equal(1, Flagged(output));
    }

    [Theory]
    [InlineData(new string[] { }, "Required command was not provided")]
    [InlineData(new[] { "report" }, "give exactly one input")]
    [InlineData(new[] { "report", "--log", "x", "--events", "y" }, "give exactly one input")]
    [InlineData(new[] { "report", "--events" }, "--events")]
    [InlineData(new[] { "report", "--bogus" }, "--bogus")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    public void Run_UsageError_ExitsTwoWithMessage(string[] args, string expected)
    {
        var run = CommandRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--time-zone", "Mars/Olympus_Mons", "not an IANA time zone id")]
    [InlineData("--from", "2021-13-01", "--from '2021-13-01': expected a date as yyyy-MM-dd")]
    [InlineData("--to", "yesterday", "--to 'yesterday': expected a date")]
    [InlineData("--format", "pdf", "--format 'pdf': 'pdf' is not a report format")]
    [InlineData("--policy", "strict.json", "--policy 'strict.json'")]
    public void Report_BadOptionValue_ExitsTwoNamingOptionAndValue(string option, string value, string expected)
    {
        var events = Write("events.jsonl", GoodLine);

        var run = CommandRun.Of("report", "--events", events, option, value, "--out", Path.Combine(_directory, "out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")));
    }

    [Fact]
    public void Report_ToBeforeFrom_ExitsTwo()
    {
        var events = Write("events.jsonl", GoodLine);

        var run = CommandRun.Of("report", "--events", events, "--from", "2021-09-30", "--to", "2021-09-01");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--to 2021-09-01 is before --from 2021-09-30", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_PolicyPresetName_IsAccepted()
    {
        var events = Write("events.jsonl", GoodLine);

        var run = CommandRun.Of("report", "--events", events, "--policy", "project-texas", "--format", "json", "--out", Path.Combine(_directory, "out"));

        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void Report_MissingEventsFile_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(_directory, "missing.jsonl");

        var run = CommandRun.Of("report", "--events", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--events '{missing}': file not found", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_MissingLogDirectory_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(_directory, "no-log");

        var run = CommandRun.Of("report", "--log", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--log '{missing}': directory not found", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_EmptyLogDirectory_ExitsTwo()
    {
        var run = CommandRun.Of("report", "--log", _directory);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no log segments (segment-*.jsonl)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsContractOptions()
    {
        var run = CommandRun.Of("report", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--log", "--key-file", "--events", "--time-zone", "--from", "--to", "--format", "--policy", "--reevaluate", "--out", "--strict" })
        {
            Assert.Contains(option, run.Output, StringComparison.Ordinal);
        }
    }

    private static long Flagged(string output)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        return json.RootElement.GetProperty("totals").GetProperty("flagged").GetInt64();
    }

    // ln and mkfifo: .NET makes neither a hard link nor a FIFO.
    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }
}
