using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Reporting.Aggregation;
using static DataAccessAudit.Reporting.Tests.EventLines;

namespace DataAccessAudit.Reporting.Tests.Aggregation;

public sealed class NeedingActionRunsTests
{
    private const string Crossing = "{\"outcome\":\"flagged\",\"crossBorder\":true,\"findings\":[\"cross-border-protected-access\"]}";

    [Fact]
    public void ReadAll_ManyRunsMergedIntoOne_OnTwoCollectors_IsInOrder_WithTiesByIdThenLine()
    {
        // Runs of three entries, merged into one whenever four are open: both collectors merge their runs several
        // times, and the merge of the collectors once more. Keys repeat, so the id and then the line decide.
        var entries = new List<(ActionSeverity Severity, long Ticks, string Id, string Line)>();
        for (var i = 0; i < 200; i++)
        {
            var severity = (ActionSeverity)(i % 3);
            var ticks = 1_000L * (i % 7);
            var id = $"id-{i % 5}";
            entries.Add((severity, ticks, id, Line("2021-09-01T10:00:00Z", requester: $"r{i}", decision: Crossing)));
        }

        var first = new NeedingActionRuns("test/1", runLength: 3, maxRuns: 4);
        var second = new NeedingActionRuns("test/1", runLength: 3, maxRuns: 4);
        for (var i = 0; i < entries.Count; i++)
        {
            var (severity, ticks, id, line) = entries[i];
            (i % 2 == 0 ? first : second).Add(severity, ticks, 0, Encoding.UTF8.GetBytes(id), Encoding.UTF8.GetBytes(line), NeedingActionDecision.InLine);
        }

        first.Merge(second);

        var expected = entries
            .OrderBy(e => e.Severity).ThenByDescending(e => e.Ticks).ThenBy(e => e.Id, StringComparer.Ordinal).ThenBy(e => e.Line, StringComparer.Ordinal)
            .Select(e => AccessEventJson.Format(Record(e.Line)))
            .ToList();
        Assert.Equal(expected, first.ReadAll().Select(AccessEventJson.Format));
        var list = first.Build(firstRows: 5);
        Assert.Equal(expected.Take(5), list.First.Select(AccessEventJson.Format));
        Assert.Equal(200, list.Count);
        list.Dispose();
    }

    [Fact]
    public void ReadAll_LinesLargerThanTheBuffers_ComeBackWhole()
    {
        // A resource id of two million characters: larger than the writer's staging buffer and the reader's buffer.
        var huge = Line("2021-09-01T10:00:00Z", resource: new string('x', 2_000_000), decision: Crossing);
        var small = Line("2021-09-01T11:00:00Z", decision: Crossing);
        var runs = new NeedingActionRuns("test/1", runLength: 1);
        runs.Add(ActionSeverity.CrossBorderProtected, 10, 0, "a"u8, Encoding.UTF8.GetBytes(huge), NeedingActionDecision.InLine);
        runs.Add(ActionSeverity.CrossBorderProtected, 20, 0, "b"u8, Encoding.UTF8.GetBytes(small), NeedingActionDecision.InLine);
        runs.Add(ActionSeverity.CrossBorderProtected, 5, 0, "c"u8, Encoding.UTF8.GetBytes(huge), NeedingActionDecision.InLine);

        Assert.Equal(new[] { small, huge, huge }.Select(line => AccessEventJson.Format(Record(line))), runs.ReadAll().Select(AccessEventJson.Format));
        runs.Delete();
    }

    [Fact]
    public void ReadAll_LinesKeptAsPlacesInAFile_OnTwoCollectorsWithRunsAndLinesHeld_IsInOrderToTheNanosecond_WithTiesByIdThenLine()
    {
        // Half the entries point into a file, half hold their lines; keys and ids repeat, so lines read back from the
        // file decide ties while sorting, while merging runs and while merging the collectors. Entries of one tick
        // differ by the nanoseconds past it, which order them newest first before the id does.
        var entries = new List<(ActionSeverity Severity, long Ticks, byte SubTick, string Id, string Line)>();
        for (var i = 0; i < 200; i++)
        {
            // The line carries the id it is kept under, as a counted line does.
            var line = Line("2021-09-01T10:00:00Z", requester: $"r{i}", decision: Crossing);
            var id = $"id-{i % 5}";
            entries.Add(((ActionSeverity)(i % 3), 1_000L * (i % 7), (byte)((i / 5) % 4 * 33), id, line.Replace($"\"id\":\"{Record(line).Event.Id}\"", $"\"id\":\"{id}\"", StringComparison.Ordinal)));
        }

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, string.Join("\n", entries.Select(e => e.Line)) + "\n");
            var first = new NeedingActionRuns("test/1", runLength: 3, maxRuns: 4);
            var second = new NeedingActionRuns("test/1", runLength: 3, maxRuns: 4);
            var position = 0L;
            for (var i = 0; i < entries.Count; i++)
            {
                var (severity, ticks, subTick, id, line) = entries[i];
                var bytes = Encoding.UTF8.GetBytes(line);
                var collector = i % 2 == 0 ? first : second;
                if (i % 4 < 2)
                {
                    collector.Add(severity, ticks, subTick, Encoding.UTF8.GetBytes(id), bytes, NeedingActionDecision.InLine, path, position);
                }
                else
                {
                    collector.Add(severity, ticks, subTick, Encoding.UTF8.GetBytes(id), bytes, NeedingActionDecision.InLine);
                }

                position += bytes.Length + 1;
            }

            first.Merge(second);

            var expected = entries
                .OrderBy(e => e.Severity).ThenByDescending(e => e.Ticks).ThenByDescending(e => e.SubTick).ThenBy(e => e.Id, StringComparer.Ordinal).ThenBy(e => e.Line, StringComparer.Ordinal)
                .Select(e => AccessEventJson.Format(Record(e.Line)))
                .ToList();
            Assert.Equal(expected, first.ReadAll().Select(AccessEventJson.Format));
            var list = first.Build(firstRows: 5);
            Assert.Equal(expected.Take(5), list.First.Select(AccessEventJson.Format));
            Assert.Equal(expected, list.ReadAll().Select(AccessEventJson.Format));
            list.Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadAll_FileChangedSinceItsLinesWereKeptAsPlaces_ThrowsNamingIt()
    {
        var line = Line("2021-09-01T10:00:00Z", decision: Crossing);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, line + "\n");
            var runs = new NeedingActionRuns("test/1");
            runs.Add(ActionSeverity.CrossBorderProtected, 10, 0, Encoding.UTF8.GetBytes(Record(line).Event.Id), Encoding.UTF8.GetBytes(line), NeedingActionDecision.InLine, path, 0);
            File.WriteAllText(path, Line("2021-09-01T10:00:00Z", decision: Crossing) + "\n");

            var exception = Assert.Throws<IOException>(() => runs.ReadAll().ToList());

            Assert.Contains(path, exception.Message, StringComparison.Ordinal);
            File.WriteAllText(path, "{}");
            Assert.Throws<IOException>(() => runs.ReadAll().ToList());
            runs.Delete();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(1_000L)]
    [InlineData(3_000_000_000_000_000_000L)]
    public void ReadAll_TimesCloseTogetherOrMillenniaApart_IsNewestFirstWithinASeverity(long spread)
    {
        // Times within a narrow span sort as packed numbers; a span too wide to pack sorts through the comparer.
        var entries = new List<(ActionSeverity Severity, long Ticks, string Line)>();
        for (var i = 0; i < 40; i++)
        {
            entries.Add(((ActionSeverity)(i % 2), ((i * 7) % 13 - 6) * (spread / 6), Line("2021-09-01T10:00:00Z", requester: $"r{i}", decision: Crossing)));
        }

        var runs = new NeedingActionRuns("test/1");
        foreach (var (severity, ticks, line) in entries)
        {
            runs.Add(severity, ticks, 0, Encoding.UTF8.GetBytes(Record(line).Event.Id), Encoding.UTF8.GetBytes(line), NeedingActionDecision.InLine);
        }

        var expected = entries
            .OrderBy(e => e.Severity).ThenByDescending(e => e.Ticks).ThenBy(e => Record(e.Line).Event.Id, StringComparer.Ordinal)
            .Select(e => AccessEventJson.Format(Record(e.Line)));
        Assert.Equal(expected, runs.ReadAll().Select(AccessEventJson.Format));
        runs.Delete();
    }
}
