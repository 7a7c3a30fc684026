using System.Text;
using DataAccessAudit.Log;

namespace DataAccessAudit.Tests.Log;

// The compact reader must give, for every line it accepts, what Utf8JsonReader gives (LogFormat's reader path), and
// accept the event lines the writer writes, which is what makes it worth having. Crafted lines cover each rule of
// JSON it checks; seeded random edits of written lines cover what nobody thought of.
public sealed class CompactFieldReaderTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();

    public CompactFieldReaderTests()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), 50);
    }

    [Fact]
    public void TryRead_EventLinesAsWritten_AcceptsWithTheReadersFields()
    {
        var events = LogFixture.Lines(LogFixture.OnlySegment(_directory)).Skip(1).ToList();

        foreach (var line in events)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            Assert.True(CompactFieldReader.TryRead(bytes, out var fields), line);
            Assert.True(LogFormat.TryReadFieldsWithReader(bytes, out var expected), line);
            Assert.Equal(expected, fields);
        }
    }

    [Fact]
    public void TryRead_HeaderAsWritten_LeavesItToTheReader()
    {
        var header = Encoding.UTF8.GetBytes(LogFixture.Lines(LogFixture.OnlySegment(_directory))[0]);

        Assert.False(CompactFieldReader.TryRead(header, out _));
        Assert.True(LogFormat.TryReadFields(header, out var fields));
        Assert.True(fields.IsHeader);
    }

    [Theory]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":7}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":-0}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":123456789012345678}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":1234567890123456789}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":07}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":7.0}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":7e0}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":-}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":\"7\"}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":7,\"seq\":8}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":7}x", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":7} ", false)]
    [InlineData("{\"schema\": \"access-event/1\",\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"seq\":7,}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":[1,],\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":[],\"b\":{},\"c\":[[{\"d\":[true,false,null]}]],\"seq\":7}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":tru,\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":truex,\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":-1.5e+10,\"b\":0.25,\"c\":1E5,\"seq\":7}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":1.,\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":.5,\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":1e,\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":01,\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":+1,\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":\"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD800\",\"seq\":7}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":\"\\x\",\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":\"\\u12G4\",\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":\"\\u12\",\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":\"tab\there\",\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\":\"unclosed,\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"a\\u0062\":1,\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"time\":\"2026-11-27T07:00:00Z\",\"seq\":7}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"time\":\"\\u0032026\",\"seq\":7}", false)]
    [InlineData("{\"time\":\"2026-11-27T07:00:00Z\",\"schema\":\"access-event/1\",\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"time\":5,\"seq\":7}", true)]
    [InlineData("{\"schema\":\"access-e\\u0076ent/1\",\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-log/1\",\"seq\":7}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"schema\":\"other/1\",\"seq\":7}", true)]
    [InlineData("{\"schema\":\"access-event/1\",\"type\":\"gap\",\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"keyId\":{\"seq\":1},\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"dropped\":3,\"seq\":7}", false)]
    [InlineData("{\"schema\":\"access-event/1\",\"prevChain\":\"00\",\"seq\":7}", false)]
    [InlineData("{}", false)]
    [InlineData("{\"a\"}", false)]
    [InlineData("{\"a\":}", false)]
    [InlineData("{\"a\":1", false)]
    [InlineData("[1]", false)]
    public void TryRead_CraftedLine_AcceptsOnlyWhatItShouldAndAgreesWithTheReader(string line, bool accepted)
    {
        AssertAgrees(Encoding.UTF8.GetBytes(line), accepted);
    }

    [Fact]
    public void TryRead_InvalidUtf8InAnEventsTime_IsLeftToTheReader()
    {
        var text = "{\"schema\":\"access-event/1\",\"time\":\"2026-11-27T07:00:00Z\",\"seq\":7}";
        var line = Encoding.UTF8.GetBytes(text);
        line[text.IndexOf("2026", StringComparison.Ordinal)] = 0xFF;

        AssertAgrees(line, accepted: false);
        Assert.False(LogFormat.TryReadFields(line, out _));
    }

    [Fact]
    public void TryRead_InvalidUtf8OutsideTheMembersItReads_AgreesWithTheReader()
    {
        var text = "{\"schema\":\"access-event/1\",\"id\":\"e-0\",\"seq\":7}";
        var line = Encoding.UTF8.GetBytes(text);
        line[text.IndexOf("e-0", StringComparison.Ordinal)] = 0xFF;

        AssertAgrees(line, accepted: true);
    }

    [Fact]
    public void TryRead_NestingDeeperThanItTakes_IsLeftToTheReader()
    {
        var deep = "{\"schema\":\"access-event/1\",\"a\":" + new string('[', 40) + new string(']', 40) + ",\"seq\":7}";
        var tooDeep = "{\"schema\":\"access-event/1\",\"a\":" + new string('[', 70) + new string(']', 70) + ",\"seq\":7}";

        AssertAgrees(Encoding.UTF8.GetBytes(deep), accepted: false);
        Assert.True(LogFormat.TryReadFields(Encoding.UTF8.GetBytes(deep), out _));
        AssertAgrees(Encoding.UTF8.GetBytes(tooDeep), accepted: false);
        Assert.False(LogFormat.TryReadFields(Encoding.UTF8.GetBytes(tooDeep), out _));
    }

    [Fact]
    public void TryRead_StringsEndingAroundEveryPlaceInTheQuoteMap_AgreesWithTheReader()
    {
        for (var pad = 0; pad < 200; pad++)
        {
            var padding = new string('x', pad);
            AssertAgrees(Encoding.UTF8.GetBytes("{\"schema\":\"access-event/1\",\"p\":\"" + padding + "\",\"q\":[\"a\",\"\"],\"seq\":7}"), accepted: true);
            AssertAgrees(Encoding.UTF8.GetBytes("{\"schema\":\"access-event/1\",\"p\":\"" + padding + "\",\"q\":[\"a\",\"\"],\"seq\":7,\"r\":\"open}"), accepted: false);
            AssertAgrees(Encoding.UTF8.GetBytes("{\"schema\":\"access-event/1\",\"p\":\"" + padding + "\\n\",\"seq\":7}"), accepted: true);
        }
    }

    [Fact]
    public void TryRead_LineLongerThanItsQuoteMap_AgreesWithTheReader()
    {
        var keys = string.Join(",", Enumerable.Range(0, 2_000).Select(i => $"\"key-{i}\""));
        var line = "{\"schema\":\"access-event/1\",\"subjectKeys\":[" + keys + "],\"seq\":7}";

        AssertAgrees(Encoding.UTF8.GetBytes(line), accepted: true);
        AssertAgrees(Encoding.UTF8.GetBytes(line.Replace("key-1999", "key-\\u0031999", StringComparison.Ordinal)), accepted: true);
        AssertAgrees(Encoding.UTF8.GetBytes(line[..^1]), accepted: false);
    }

    [Fact]
    public void TryRead_RandomEditsOfWrittenLines_NeverAcceptsWhatTheReaderReadsOtherwise()
    {
        var lines = LogFixture.Lines(LogFixture.OnlySegment(_directory)).Select(Encoding.UTF8.GetBytes).ToList();
        var edits = new LineEdits(17, "{}[]\":,\\-+.0123456789eEtrufalsn u/ \t\u00e9"u8.ToArray());
        var accepted = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var bytes = edits.Next(lines);
            if (CompactFieldReader.TryRead(bytes, out var fields))
            {
                accepted++;
                Assert.True(LogFormat.TryReadFieldsWithReader(bytes, out var expected), Encoding.UTF8.GetString(bytes));
                Assert.Equal(expected, fields);
            }
        }

        // Most single edits inside a string still leave a line the compact reader takes.
        Assert.True(accepted > 1_000, $"{accepted} accepted");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void AssertAgrees(byte[] line, bool accepted)
    {
        var text = Encoding.UTF8.GetString(line);
        Assert.True(accepted == CompactFieldReader.TryRead(line, out var fields), text);
        if (accepted)
        {
            Assert.True(LogFormat.TryReadFieldsWithReader(line, out var expected), text);
            Assert.Equal(expected, fields);
        }
    }
}
