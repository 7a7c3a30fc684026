using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting;
using Spectre.Console;

namespace DataAccessAudit.ReportGenerator.Tests;

// The summary access-report prints, on an 80-column terminal: ids are never cut inside a word when the other columns
// leave room, break only after their separators, and an id too long for any room is shortened with an ellipsis.
public sealed class ConsoleSummaryTests
{
    private const char Bar = '│';

    private static readonly string[] HostileIds =
    [
        "svc-data-pipeline-production-eu-west-1/worker-0042@corp.example.com",
        "bd-master-admin",
        "arn:aws:iam::123456789012:role/service-role/DataExportLambdaRole-7f3a9c",
        "an-identifier-that-has-far-too-many-characters-for-any-terminal-column:" + new string('x', 90),
        "研究员/北京/工程师-0001",
    ];

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(60)]
    public void Print_LongIds_BreakOnlyAfterSeparators_AndFitTheWidth(int width)
    {
        var (text, _) = Print(width, HostileIds);

        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, line => Assert.True(line.GetCellWidth() <= width, $"wider than {width} columns: '{line}'"));
        var shown = RequesterCells(lines);
        Assert.Equal(HostileIds.Length, shown.Count);
        foreach (var fragments in shown)
        {
            var joined = string.Concat(fragments);
            var id = HostileIds.Single(i => i == joined || (joined.EndsWith('…') && i.StartsWith(joined[..^1], StringComparison.Ordinal)));
            for (var i = 0; i < fragments.Count - 1; i++)
            {
                Assert.True(IsSeparator(fragments[i][^1]), $"'{id}' is cut inside a word after '{fragments[i]}' at {width} columns:\n{text}");
            }
        }
    }

    [Fact]
    public void Print_At80Columns_AnIdThatFits_IsOnOneLine()
    {
        var (text, _) = Print(80, HostileIds);

        var shown = RequesterCells(text.Split('\n').ToList());
        Assert.Contains(shown, fragments => fragments.Count == 1 && fragments[0] == "bd-master-admin");
        // Two separators-broken lines at most for a 67-character id: the other columns are narrow.
        Assert.Contains(shown, fragments => string.Concat(fragments) == HostileIds[0] && fragments.Count <= 2);
    }

    [Fact]
    public void Print_CountsLeftOutForTheIds_AreNamedUnderTheTable()
    {
        var (narrow, _) = Print(80, HostileIds);
        var (wide, _) = Print(120, ["emp-1", "bd-master-admin"]);

        Assert.Contains("Events and Types left out to fit 80 columns.", narrow, StringComparison.Ordinal);
        Assert.DoesNotContain("│ Types", narrow, StringComparison.Ordinal);
        Assert.DoesNotContain("left out", wide, StringComparison.Ordinal);
        Assert.Contains("│ Protected resources │ Types │ Broad access │", wide, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_OneEventOutsideAnEmptyPeriod_SaysSoInTheSingular()
    {
        var builder = new AccessReportBuilder(new AccessReportOptions { Period = ReportPeriod.Create(new NodaTime.LocalDate(2021, 9, 1), new NodaTime.LocalDate(2021, 9, 1), NodaTime.DateTimeZone.Utc) });
        builder.Add(Access("emp-1", "2021-09-03T10:00:00Z"));

        var text = Print(builder.Build(ReportIntegrity.Unverified), 80);

        Assert.Contains("no events in this period (1 event outside it)", text, StringComparison.Ordinal);
    }

    // After the README's quickstart every event carries the decision of the app's policy, my-app/1: the summary says
    // that policy decided them, not the report's own, which evaluated none.
    [Fact]
    public void Print_EventsDecidedByTheAppsPolicy_SaysWhichPolicyDecidedThem()
    {
        var builder = new AccessReportBuilder(new AccessReportOptions());
        for (var i = 0; i < 12; i++)
        {
            builder.Add(new AccessRecord(Access("emp-1", $"2021-09-01T10:00:{i:00}Z").Event, new AccessDecision(AccessOutcome.Allowed, crossBorder: true, FindingSet.Empty, "my-app/1")));
        }

        var text = Print(builder.Build(ReportIntegrity.Unverified), 120);

        Assert.Contains("Decided by", text, StringComparison.Ordinal);
        Assert.Contains("my-app/1 (12 events, recorded); project-texas/1 evaluated none", text, StringComparison.Ordinal);
        Assert.DoesNotContain("│ Policy", text, StringComparison.Ordinal);
    }

    private static (string Text, AccessReport Report) Print(int width, IEnumerable<string> ids)
    {
        var builder = new AccessReportBuilder(new AccessReportOptions());
        foreach (var id in ids)
        {
            builder.Add(Access(id, "2021-09-01T10:00:00Z"));
        }

        var report = builder.Build(ReportIntegrity.Unverified);
        return (Print(report, width), report);
    }

    private static string Print(AccessReport report, int width)
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        ConsoleSummary.Print(console, report, []);
        return output.ToString();
    }

    private static AccessRecord Access(string requester, string time) => AccessEventJson.Parse(
        $$"""{"schema":"access-event/1","id":"e-{{Guid.NewGuid():N}}","time":"{{time}}","requester":{"id":{{System.Text.Json.JsonSerializer.Serialize(requester)}},"region":"CN"},"resource":{"id":"user/1/messages","category":"protected","region":"US","type":"direct-message"},"action":"read"}""");

    // The requester column of the requesters table, row by row, each row as the fragments of its lines.
    private static List<List<string>> RequesterCells(List<string> lines)
    {
        var header = lines.FindIndex(l => l.Contains($"{Bar} Requester", StringComparison.Ordinal));
        Assert.True(header >= 0, "no requesters table");
        var rows = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in lines.Skip(header + 2))
        {
            if (line.StartsWith('└'))
            {
                break;
            }

            if (line.StartsWith('├'))
            {
                current = null;
                continue;
            }

            var cell = line.Split(Bar)[1].Trim();
            var region = line.Split(Bar)[2].Trim();
            if (region.Length > 0 || current is null)
            {
                current = [];
                rows.Add(current);
            }

            if (cell.Length > 0)
            {
                current.Add(cell);
            }
        }

        return rows;
    }

    private static bool IsSeparator(char c) => c is '/' or '-' or '_' or '.' or ':' or '@';
}
