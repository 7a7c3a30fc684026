using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Regions;
using NodaTime;

namespace DataAccessAudit.Tests.Events;

public sealed class AccessEventTests
{
    private static readonly Requester Someone = new("emp-1", Region.Parse("US"));
    private static readonly AccessedResource Something = new("user/1", Taxonomy.Protected, Region.Parse("US"));

    [Fact]
    public void Constructor_RequiredFields_AreKeptAndOptionalOnesDefault()
    {
        var accessEvent = new AccessEvent("e-1", Accesses.Time, Someone, Something, "read");

        Assert.Equal("e-1", accessEvent.Id);
        Assert.Equal(Accesses.Time, accessEvent.Time);
        Assert.Same(Someone, accessEvent.Requester);
        Assert.Same(Something, accessEvent.Resource);
        Assert.Equal(1, accessEvent.Subjects);
        Assert.Null(accessEvent.Purpose);
        Assert.Null(accessEvent.Approval);
        Assert.Null(accessEvent.TraceId);
        Assert.Equal("e-1: emp-1@US read user/1 (protected, US) at 2021-09-14T07:31:02Z", accessEvent.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(AccessEvent.MaxSubjects + 1)]
    public void Subjects_OutOfRange_ThrowsNamingTheProperty(long subjects)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new AccessEvent("e", Accesses.Time, Someone, Something, "read") { Subjects = subjects });

        Assert.Equal("Subjects", exception.ParamName);
        Assert.Contains("from 1 to 2^53-1", exception.Message, StringComparison.Ordinal);
    }

    // What Record accepts, the log's own reader reads back: an instant before year 0001 (NodaTime reaches back to
    // -9998) or an unknown home region would be written and chained, then skipped by every report as an input problem.
    [Fact]
    public void Constructor_InstantBeforeYearOne_ThrowsNamingTheValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => new AccessEvent("e", Instant.FromUtc(1, 1, 1, 0, 0) - Duration.Epsilon, Someone, Something, "read"));

        Assert.Equal("time", exception.ParamName);
        Assert.Contains("The event time is 0000-12-31T23:59:59.999999999Z: expected an instant in years 0001 to 9999", exception.Message, StringComparison.Ordinal);
        Assert.Equal("time", Assert.Throws<ArgumentOutOfRangeException>(() => new AccessEvent("e", Instant.MinValue, Someone, Something, "read")).ParamName);
    }

    [Fact]
    public void Approval_BoundBeforeYearOne_ThrowsNamingTheProperty()
    {
        Assert.Equal("ValidFrom", Assert.Throws<ArgumentOutOfRangeException>(() => new Approval("A") { ValidFrom = Instant.MinValue }).ParamName);
        Assert.Equal("ValidUntil", Assert.Throws<ArgumentOutOfRangeException>(() => new Approval("A") { ValidUntil = Instant.MinValue }).ParamName);
        Assert.Null(new Approval("A") { ValidFrom = null }.ValidFrom);
    }

    [Fact]
    public void AccessedResource_UnknownHomeRegion_ThrowsNamingTheRegion()
    {
        var exception = Assert.Throws<ArgumentException>(() => new AccessedResource("r", Taxonomy.Protected, Region.Unknown));

        Assert.Equal("region", exception.ParamName);
        Assert.Contains("home region is ZZ (unknown)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FirstAndLastInstantsTheFormatHolds_RoundTripThroughTheLogsReader()
    {
        var first = Instant.FromUtc(1, 1, 1, 0, 0);
        foreach (var time in new[] { first, Instant.MaxValue })
        {
            var accessEvent = new AccessEvent("e", time, Someone, Something, "read") { Approval = new Approval("A") { ValidFrom = first, ValidUntil = Instant.MaxValue } };

            var read = DataAccessAudit.Interchange.AccessEventJson.Parse(DataAccessAudit.Interchange.AccessEventJson.Format(new DataAccessAudit.Policy.AccessRecord(accessEvent, null))).Event;

            Assert.Equal(time, read.Time);
            Assert.Equal(first, read.Approval!.ValidFrom);
            Assert.Equal(Instant.MaxValue, read.Approval.ValidUntil);
        }
    }

    [Fact]
    public void Constructor_MissingRequiredField_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AccessEvent(string.Empty, Accesses.Time, Someone, Something, "read"));
        Assert.Throws<ArgumentNullException>(() => new AccessEvent("e", Accesses.Time, null!, Something, "read"));
        Assert.Throws<ArgumentNullException>(() => new AccessEvent("e", Accesses.Time, Someone, null!, "read"));
        Assert.Throws<ArgumentException>(() => new AccessEvent("e", Accesses.Time, Someone, Something, string.Empty));
        Assert.Throws<ArgumentException>(() => new Requester(string.Empty, Region.Unknown));
        Assert.Throws<ArgumentException>(() => new AccessedResource("r", default, Region.Parse("US")));
        Assert.Throws<ArgumentException>(() => new Approval(string.Empty));
    }

    [Fact]
    public void Requester_RolesSetToNull_AreEmpty()
    {
        var requester = new Requester("emp-1", Region.Parse("CN")) { Roles = null!, Organization = "ByteDance" };

        Assert.Empty(requester.Roles);
        Assert.Equal("emp-1@CN", requester.ToString());
    }

    [Fact]
    public void AccessEventId_New_IsUuidV7CarryingTheMillisecondsAndUnique()
    {
        var time = Instant.FromUnixTimeMilliseconds(1_631_604_662_123);

        var ids = Enumerable.Range(0, 100).Select(_ => AccessEventId.New(time)).ToList();

        Assert.Equal(100, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id =>
        {
            var guid = Guid.Parse(id);
            Assert.Equal(id, guid.ToString("D"));
            Assert.Equal('7', id[14]);
            Assert.Contains(id[19], "89ab");
            Assert.Equal(1_631_604_662_123, Convert.ToInt64(id[..8] + id[9..13], 16));
        });
    }

    [Fact]
    public void AccessEventId_New_LaterMillisecondSortsLater()
    {
        var earlier = AccessEventId.New(Instant.FromUnixTimeMilliseconds(1_000));
        var later = AccessEventId.New(Instant.FromUnixTimeMilliseconds(1_001));

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public void Approval_ToString_IsTheId() => Assert.Equal("USDS-1", new Approval("USDS-1").ToString());
}
