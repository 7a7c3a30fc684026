using System.Text;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using DataAccessAudit.Reporting.Aggregation;

namespace DataAccessAudit.Reporting.Tests.Aggregation;

public sealed class RequesterTableTests
{
    private static readonly Region Us = Region.Parse("US");

    [Theory]
    [InlineData("emp-1")]
    [InlineData("Zoë@example.com")]
    [InlineData("")]
    public void Get_TheIdAsStringOrAsUtf8_IsOneTallyHoldingTheId(string id)
    {
        var table = new RequesterTable();

        var fromLine = table.Get(Encoding.UTF8.GetBytes(id));
        var fromRecord = table.Get(new string(id.AsSpan()));

        Assert.Same(fromLine, fromRecord);
        Assert.Equal(id, fromLine.Id);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Get_InvalidUtf8_IsTheRequesterItsStringNames()
    {
        // Bytes that are not UTF-8 decode to U+FFFD: the requester is the string the report shows, as on the record path.
        var table = new RequesterTable();

        var a = table.Get([0x61, 0xFF]);
        var b = table.Get([0x61, 0xFE]);

        Assert.Same(a, b);
        Assert.Equal("a\uFFFD", a.Id);
        Assert.Same(a, table.Get("a\uFFFD"));
    }

    [Fact]
    public void Get_IdsWhoseHashesCollide_AreKeptApart()
    {
        var table = new RequesterTable(static _ => 42);

        var a = table.Get("a"u8);
        var b = table.Get("b"u8);
        var c = table.Get("c");

        Assert.Equal(["a", "b", "c"], new[] { a.Id, b.Id, c.Id });
        Assert.Same(a, table.Get("a"));
        Assert.Same(b, table.Get("b"));
        Assert.Same(c, table.Get("c"u8));
        Assert.Equal(3, table.Count);
        Assert.Equal(["a", "b", "c"], table.Tallies.Select(t => t.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Merge_IntoAnEmptyTable_TakesTheTalliesOverAndEmptiesTheOther()
    {
        var table = new RequesterTable();
        var other = new RequesterTable();
        var tally = other.Get("a"u8);

        table.Merge(other);

        Assert.Same(tally, table.Get("a"));
        Assert.Equal(0, other.Count);
        Assert.Empty(other.Tallies);
    }

    [Fact]
    public void Merge_IdsInBothAndInOne_AddsCountsOfTheSameIdAndKeepsTheOthers()
    {
        var table = new RequesterTable();
        var other = new RequesterTable();
        table.Get("both").Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, Us);
        table.Get("mine").Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, Us);
        other.Get("both"u8).Add(AccessOutcome.Flagged, crossBorder: true, subjects: 2, Us);
        other.Get("theirs"u8).Add(AccessOutcome.Denied, crossBorder: false, subjects: 3, Us);

        table.Merge(other);

        Assert.Equal(3, table.Count);
        Assert.Equal(2, table.Get("both").Counts.Events);
        Assert.Equal(3, table.Get("both").Subjects);
        Assert.Equal(1, table.Get("mine").Counts.Events);
        Assert.Equal(1, table.Get("theirs").Counts.Denied);
        Assert.Equal(0, other.Count);
    }

    [Fact]
    public void Merge_IdsWhoseHashesCollide_AreKeptApartAndMergedById()
    {
        var table = new RequesterTable(static _ => 42);
        var other = new RequesterTable(static _ => 42);
        table.Get("a").Add(AccessOutcome.Allowed, crossBorder: false, subjects: 1, Us);
        other.Get("b").Add(AccessOutcome.Allowed, crossBorder: false, subjects: 2, Us);
        other.Get("a").Add(AccessOutcome.Allowed, crossBorder: false, subjects: 4, Us);
        other.Get("c").Add(AccessOutcome.Allowed, crossBorder: false, subjects: 8, Us);
        var third = new RequesterTable(static _ => 42);
        third.Get("c").Add(AccessOutcome.Allowed, crossBorder: false, subjects: 16, Us);

        table.Merge(other);
        table.Merge(third);

        Assert.Equal(3, table.Count);
        Assert.Equal(5, table.Get("a").Subjects);
        Assert.Equal(2, table.Get("b").Subjects);
        Assert.Equal(24, table.Get("c").Subjects);
    }
}
