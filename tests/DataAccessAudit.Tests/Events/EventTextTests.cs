using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Tests.Events;

public sealed class EventTextTests
{
    private static readonly Region Us = Region.Parse("US");
    private static readonly Requester Someone = new("emp-1", Us);
    private static readonly AccessedResource Something = new("user/1", Taxonomy.Protected, Us);

    public static TheoryData<string, int> Unfaithful => new()
    {
        { "a\0b", 1 },
        { "a\uD800b", 1 },
        { "a\uDBFFb", 1 },
        { "ab\uDC00", 2 },
        { "\uDC00\uD800", 0 },
        { "a\uD83D\uDE00\uD83D", 3 },
        { "\uD83D\uDE00x\0", 3 },
        { "x\uD800\0", 1 },
    };

    [Theory]
    [MemberData(nameof(Unfaithful))]
    public void IndexOfUnfaithful_NulOrUnpairedSurrogate_IsItsIndex(string text, int index) =>
        Assert.Equal(index, EventText.IndexOfUnfaithful(text));

    [Theory]
    [InlineData("emp-1")]
    [InlineData("a\uD83D\uDE00b")]
    [InlineData("\uFFFD")]
    [InlineData("")]
    public void IndexOfUnfaithful_UnicodeText_IsMinusOne(string text) =>
        Assert.Equal(-1, EventText.IndexOfUnfaithful(text));

    // Not InlineData: an attribute's string cannot hold a lone surrogate (the compiler writes it as UTF-8).
    public static TheoryData<string, string> Described => new()
    {
        { "a\0b", "U+0000 (NUL) at index 1" },
        { "a\uD800b", "an unpaired surrogate U+D800 at index 1" },
    };

    [Theory]
    [MemberData(nameof(Described))]
    public void Requester_IdNotCarriedUnchanged_ThrowsNamingTheParameterAndIndex(string id, string described)
    {
        var exception = Assert.Throws<ArgumentException>(() => new Requester(id, Us));

        Assert.Equal("id", exception.ParamName);
        Assert.StartsWith($"The requester id holds {described}: expected text without U+0000", exception.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<string, object>> EveryString => new()
    {
        { "id", text => new Requester(text, Us) },
        { "Organization", text => new Requester("r", Us) { Organization = text } },
        { "Roles", text => new Requester("r", Us) { Roles = ["engineer", text] } },
        { "id", text => new AccessedResource(text, Taxonomy.Protected, Us) },
        { "Type", text => new AccessedResource("r", Taxonomy.Protected, Us) { Type = text } },
        { "name", text => new DataCategory(text) },
        { "id", text => new Approval(text) },
        { "ApprovedBy", text => new Approval("a") { ApprovedBy = text } },
        { "id", text => new AccessEvent(text, Accesses.Time, Someone, Something, "read") },
        { "action", text => new AccessEvent("e", Accesses.Time, Someone, Something, text) },
        { "Purpose", text => new AccessEvent("e", Accesses.Time, Someone, Something, "read") { Purpose = text } },
        { "TraceId", text => new AccessEvent("e", Accesses.Time, Someone, Something, "read") { TraceId = text } },
        { "SubjectKeys", text => new AccessEvent("e", Accesses.Time, Someone, Something, "read") { SubjectKeys = ["k", text] } },
    };

    [Theory]
    [MemberData(nameof(EveryString))]
    public void EveryString_NulOrUnpairedSurrogate_ThrowsNamingTheParameter(string parameter, Func<string, object> build)
    {
        Assert.Equal(parameter, Assert.Throws<ArgumentException>(() => build("x\0")).ParamName);
        Assert.Equal(parameter, Assert.Throws<ArgumentException>(() => build("x\uDFFF")).ParamName);
        Assert.NotNull(build("x\uD83D\uDE00"));
    }

    [Fact]
    public void Roles_NullElement_ThrowsNamingTheProperty()
    {
        var exception = Assert.Throws<ArgumentException>(() => new Requester("r", Us) { Roles = ["engineer", null!] });

        Assert.Equal("Roles", exception.ParamName);
        Assert.StartsWith("Role 1 is null: expected a role name.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roles_AreACopyOfTheListGiven()
    {
        var roles = new List<string> { "engineer" };
        var requester = new Requester("r", Us) { Roles = roles };
        roles[0] = "master-admin";

        Assert.Equal(["engineer"], requester.Roles);
    }

    [Fact]
    public void SubjectKeys_NullElement_ThrowsNamingTheProperty()
    {
        var exception = Assert.Throws<ArgumentException>(() => new AccessEvent("e", Accesses.Time, Someone, Something, "read") { SubjectKeys = ["k", null!] });

        Assert.Equal("SubjectKeys", exception.ParamName);
        Assert.StartsWith("Subject key 1 is null: expected a non-empty pseudonymous key.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_EventWithEscapedNul_IsAnInputProblemNamingTheValue()
    {
        var line = """{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"a\u0000b","region":"US"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read"}"""u8;

        Assert.False(AccessEventJson.TryParse(line, out _, out var error));
        Assert.StartsWith("The requester id holds U+0000 (NUL) at index 1", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"policy\":\"evil\\u0000name/1\"", "The decision's policy holds U+0000 (NUL) at index 4")]
    [InlineData("\"findings\":[\"a\\u0000b\"]", "The finding name holds U+0000 (NUL) at index 1")]
    public void TryParse_DecisionWithEscapedNul_IsAnInputProblemWithoutDotNetsParameterSuffix(string member, string expected)
    {
        var line = System.Text.Encoding.UTF8.GetBytes(
            """{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"a","region":"US"},"resource":{"id":"r","category":"protected","region":"US"},"action":"read","decision":{"outcome":"allowed","crossBorder":false,"""
            + member + "}}");

        Assert.False(AccessEventJson.TryParse(line, out _, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_NameHoldingNul_IsRefusedWhereItIsGiven()
    {
        // Every decision carries the policy's name into the log and the shared store.
        var exception = Assert.Throws<ArgumentException>(() =>
            new AccessPolicy("evil\0name", "1", AccessPolicy.ProjectTexas.Taxonomy, AccessPolicy.ProjectTexas.HomeJurisdictions, countriesOfConcern: null));

        Assert.Contains("U+0000", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyJson_NameHoldingNul_IsAProblemOfTheFile()
    {
        var options = AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas);
        options.Name = "evil\0name";

        var problems = options.Validate();

        Assert.Contains("name: holds U+0000 or an unpaired surrogate at index 4; expected text every store of the audit log holds unchanged", problems);
    }
}
