using System.Text;
using DataAccessAudit.Regions;
using NodaTime.TimeZones;

namespace DataAccessAudit.Tests.Regions;

public sealed class RegionTests
{
    public static TheoryData<string> AssignedCodes() => [.. Region.All.Select(r => r.Code)];

    [Fact]
    public void All_Always_Holds249DistinctSortedCodesWithoutUnknown()
    {
        Assert.Equal(249, Region.All.Count);
        Assert.Equal(249, Region.All.Select(r => r.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Region.All.Order(), Region.All);
        Assert.DoesNotContain(Region.Unknown, Region.All);
    }

    [Fact]
    public void CompareTo_Always_OrdersByCodeInOrdinalOrderWithUnknownLastAsZZ()
    {
        Region[] regions = [Region.Unknown, .. Region.All.Reverse()];

        var sorted = regions.Order().Select(r => r.Code).ToList();

        Assert.Equal(regions.Select(r => r.Code).Order(StringComparer.Ordinal), sorted);
        Assert.Equal("ZZ", sorted[^1]);
        Assert.True(Region.Parse("ZW") < Region.Unknown);
        Assert.True(Region.Unknown > Region.Parse("AD"));
    }

    [Theory]
    [MemberData(nameof(AssignedCodes))]
    public void Parse_AssignedCodeInAnyCase_GivesThatRegionInUpperCase(string code)
    {
        var upper = Region.Parse(code);
        var lower = Region.Parse(code.ToLowerInvariant());
        var mixed = Region.Parse(string.Concat(char.ToLowerInvariant(code[0]), code[1]));

        Assert.Equal(code, upper.Code);
        Assert.Equal(upper, lower);
        Assert.Equal(upper, mixed);
        Assert.Equal(code, lower.ToString());
        Assert.False(upper.IsUnknown);
        Assert.True(Region.TryParse(Encoding.UTF8.GetBytes(code.ToLowerInvariant()), out var fromUtf8));
        Assert.Equal(upper, fromUtf8);
    }

    [Fact]
    public void All_TzdbZoneLocationCountries_AreAllAssignedCodes()
    {
        var source = TzdbDateTimeZoneSource.Default;
        var countries = source.ZoneLocations!.Select(l => l.CountryCode)
            .Concat(source.Zone1970Locations!.SelectMany(l => l.Countries).Select(c => c.Code))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(countries.Count > 200, $"TZDB names only {countries.Count} countries");
        Assert.All(countries, code => Assert.True(Region.TryParse(code, out _), $"TZDB country '{code}' is not in our table"));
    }

    [Theory]
    [InlineData("UK")]
    [InlineData("XX")]
    [InlineData("USA")]
    [InlineData("U5")]
    [InlineData("EU")]
    [InlineData("")]
    [InlineData(" US")]
    [InlineData("U")]
    public void Parse_NotAnAssignedCode_ThrowsFormatExceptionNamingTheValue(string code)
    {
        var exception = Assert.Throws<FormatException>(() => Region.Parse(code));

        Assert.Contains($"'{code}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("ISO 3166-1 alpha-2", exception.Message, StringComparison.Ordinal);
        Assert.False(Region.TryParse(code, out var region));
        Assert.Equal(Region.Unknown, region);
        Assert.False(Region.TryParse(Encoding.UTF8.GetBytes(code), out _));
    }

    [Theory]
    [InlineData("U\0S", "'U\\u0000S'")]
    [InlineData("US\r\n", "'US\\u000D\\u000A'")]
    [InlineData("\u001B[2JUS", "'\\u001B[2JUS'")]
    [InlineData("U\u0085S", "'U\\u0085S'")]
    [InlineData("U\u2028S", "'U\\u2028S'")]
    [InlineData("S\u202EU", "'S\\u202EU'")]
    public void Parse_CodeWithAControlCharacter_QuotesItEscaped_NeverRaw(string code, string quoted)
    {
        var exception = Assert.Throws<FormatException>(() => Region.Parse(code));

        Assert.StartsWith(quoted + " is not an ISO 3166-1 alpha-2 region code", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(exception.Message, c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator);
    }

    [Theory]
    [InlineData('A', "A")]
    [InlineData('\0', "\\u0000")]
    public void Parse_LongInput_QuotesItsFirst40CharactersOnly(char repeated, string shown)
    {
        var first40 = string.Concat(Enumerable.Repeat(shown, 40));

        var exception = Assert.Throws<FormatException>(() => Region.Parse(new string(repeated, 100_000)));

        Assert.StartsWith($"'{first40}…' is not an ISO 3166-1 alpha-2 region code", exception.Message, StringComparison.Ordinal);
        Assert.True(exception.Message.Length < 400, $"the message is {exception.Message.Length} characters long");
    }

    [Fact]
    public void Parse_LongInputCutInsideASurrogatePair_QuotesNoHalfCharacter()
    {
        var code = new string('A', 39) + "\U0001F600" + "B";

        var exception = Assert.Throws<FormatException>(() => Region.Parse(code));

        Assert.StartsWith($"'{new string('A', 39)}…'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullExceptionAndTryParseReturnsFalse()
    {
        Assert.Throws<ArgumentNullException>(() => Region.Parse(null!));
        Assert.False(Region.TryParse((string?)null, out var region));
        Assert.True(region.IsUnknown);
    }

    [Theory]
    [InlineData("ZZ")]
    [InlineData("zz")]
    [InlineData("Zz")]
    public void Parse_ZZ_GivesUnknownWhichIsTheDefault(string code)
    {
        var region = Region.Parse(code);

        Assert.True(region.IsUnknown);
        Assert.Equal(Region.Unknown, region);
        Assert.Equal(default, region);
        Assert.Equal("ZZ", region.Code);
        Assert.Equal("ZZ", default(Region).ToString());
    }

    [Fact]
    public void Equality_SameCode_IsEqualWithEqualHashAndOrderedByCode()
    {
        var us = Region.Parse("US");
        var cn = Region.Parse("CN");

        Assert.True(us == Region.Parse("us"));
        Assert.True(us != cn);
        Assert.Equal(us.GetHashCode(), Region.Parse("us").GetHashCode());
        Assert.True(us.Equals((object)Region.Parse("US")));
        Assert.False(us.Equals((object)"US"));
        Assert.True(cn < us && cn <= us && us > cn && us >= cn);
        Assert.True(Region.Parse("ZW") < Region.Unknown);
    }
}
