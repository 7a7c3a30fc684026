using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.Reporting.Tests.Formats;

public sealed class IdBreaksTests
{
    [Fact]
    public void AllowedAfter_IsTrueExactlyForTheSeparators()
    {
        var allowed = Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(IdBreaks.AllowedAfter);

        Assert.Equal("-./:@_", string.Concat(allowed));
    }
}
