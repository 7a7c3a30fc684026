using System.Text.Json;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Tests.Policy;

namespace DataAccessAudit.Tests.Interchange;

public sealed class AccessPolicyJsonTests
{
    private static readonly string PresetFile = TestData.Path("policies", "project-texas.json");

    [Fact]
    public void Load_PresetFile_DescribesExactlyTheProjectTexasPreset()
    {
        var fromFile = AccessPolicyJson.ReadOptions(File.ReadAllText(PresetFile));

        Assert.Equal(
            AccessPolicyJson.Format(AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas)),
            AccessPolicyJson.Format(fromFile));
    }

    [Theory]
    [MemberData(nameof(ConformanceVectorTests.Vectors), MemberType = typeof(ConformanceVectorTests))]
    public void Load_PresetFile_DecidesEveryConformanceVectorAsTheBuiltInPreset(string name, string mode, string eventJson, string expectedJson)
    {
        _ = expectedJson;
        var policyMode = mode == "enforce" ? PolicyMode.Enforce : PolicyMode.Audit;
        var loaded = AccessPolicyJson.Load(PresetFile).WithMode(policyMode);
        var accessEvent = AccessEventJson.Parse(eventJson).Event;

        Assert.True(
            AccessPolicy.ProjectTexas.WithMode(policyMode).Evaluate(accessEvent) == loaded.Evaluate(accessEvent),
            $"{name} ({mode}) decided differently by the file");
    }

    [Fact]
    public void Format_ThenParse_GivesAnEquivalentPolicy()
    {
        var json = AccessPolicyJson.Format(AccessPolicyOptions.FromPolicy(AccessPolicy.ProjectTexas.WithMode(PolicyMode.Enforce)));

        var policy = AccessPolicyJson.Parse(json);

        Assert.DoesNotContain("\r", json, StringComparison.Ordinal);
        Assert.Contains("\"crossBorder\": \"requires-approval\"", json, StringComparison.Ordinal);
        Assert.Equal(PolicyMode.Enforce, policy.Mode);
        Assert.Equal(json, AccessPolicyJson.Format(AccessPolicyOptions.FromPolicy(policy)));
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAccepted()
    {
        var policy = AccessPolicyJson.Parse("""
            {
              // people edit these files
              "name": "tiny", "version": "1",
              "taxonomy": { "name": "t", "categories": [ { "name": "pii", "crossBorder": "requires-approval" }, ] },
              "jurisdictions": [ { "name": "CA", "regions": ["CA"] } ],
              "homeJurisdictions": ["CA"],
            }
            """);

        Assert.Equal("tiny/1", policy.Id);
        Assert.Null(policy.CountriesOfConcern);
    }

    [Fact]
    public void ReadOptions_UnknownProperty_IsAnErrorNamingIt()
    {
        var exception = Assert.Throws<InvalidPolicyException>(() => AccessPolicyJson.ReadOptions("""{"name":"x","countriesOfConcen":"coc"}"""));

        Assert.StartsWith("countriesOfConcen (line 1, byte 33): not a member here; expected one of ", Assert.Single(exception.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOptions_SeveralUnknownMembers_NamesEachOne()
    {
        var exception = Assert.Throws<InvalidPolicyException>(() => AccessPolicyJson.ReadOptions(
            """{"name":"x","countriesOfConcen":"coc","taxonomy":{"name":"t","categorys":[]}}"""));

        Assert.Collection(
            exception.Problems,
            problem => Assert.StartsWith("countriesOfConcen (line 1, byte 33): not a member here;", problem, StringComparison.Ordinal),
            problem => Assert.StartsWith("taxonomy.categorys (line 1, byte 74): not a member here;", problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\n  \"mode\": \"enforce\",\n  \"mode\": \"audit\"\n}", "mode (line 3, byte 3): given twice")]
    [InlineData("""{"name":"a","na\u006De":"b"}""", "name (line 1, byte 13): given twice")]
    [InlineData("""{"jurisdictions":[{"name":"US","regions":["US"]},{"name":"CA","regions":["CA"],"regions":["MX"]}]}""", "jurisdictions[1].regions (line 1, byte 80): given twice")]
    [InlineData("""{"taxonomy":{"name":"t","categories":[{"name":"p","crossBorder":"allowed"}],"name":"u"}}""", "taxonomy.name (line 1, byte 77): given twice")]
    public void ReadOptions_MemberGivenTwice_IsAnErrorNamingIt(string json, string expected)
    {
        // The serializer alone keeps the last value, so a second "mode" would silently decide the policy's mode.
        var exception = Assert.Throws<InvalidPolicyException>(() => AccessPolicyJson.ReadOptions(json));

        Assert.StartsWith(expected, Assert.Single(exception.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOptions_SameMemberInDifferentObjects_IsAccepted()
    {
        var options = AccessPolicyJson.ReadOptions("""
            {"name":"n","jurisdictions":[{"name":"US","regions":["US"]},{"name":"CA","regions":["CA"]}],"homeJurisdictions":["US"]}
            """);

        Assert.Equal(["US", "CA"], options.Jurisdictions.Select(j => j.Name));
    }

    [Theory]
    [InlineData("{", "line 1, byte 2: not JSON: Expected depth to be zero")]
    [InlineData("[]", "line 1, byte 2: expected an object with the members name, version, mode, taxonomy, jurisdictions, homeJurisdictions, countriesOfConcern, bulkData")]
    [InlineData("""{"jurisdictions":{}}""", "jurisdictions (line 1, byte 19): expected an array")]
    [InlineData("""{"name":1}""", "name (line 1, byte 10): expected a string")]
    [InlineData("""{"taxonomy":"x"}""", "taxonomy (line 1, byte 16): expected an object with the members name, categories")]
    [InlineData("{\n  \"bulkData\": {\"kinds\": [{\"threshold\": \"a\"}]}\n}", "bulkData.kinds[0].threshold (line 2, byte 43): expected a whole number")]
    [InlineData("""{"taxonomy":{"name":"t","categories":[{"nam":"x"}]}}""", "taxonomy.categories[0].nam (line 1, byte 46): not a member here; expected one of name, crossBorder")]
    [InlineData("""{"name":"a"} x""", "line 1, byte 14: not JSON: 'x' is invalid after a single JSON value. Expected end of data.")]
    [InlineData("null", "expected a JSON object describing a policy, found null")]
    public void ReadOptions_NotAPolicyObject_SaysWhereAndWhatWasExpected(string json, string expected)
    {
        var exception = Assert.Throws<InvalidPolicyException>(() => AccessPolicyJson.ReadOptions(json));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);

        // In the format's words: no .NET type names, and no 0-based positions from the serializer.
        Assert.DoesNotContain("System.", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("DataAccessAudit.", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidPolicy_ReportsEveryProblem()
    {
        var exception = Assert.Throws<InvalidPolicyException>(() => AccessPolicyJson.Parse("""
            {
              "name": "broken", "version": "1", "mode": "strict",
              "taxonomy": { "name": "t", "categories": [ { "name": "pii", "crossBorder": "never" } ] },
              "jurisdictions": [ { "name": "home", "regions": ["US", "UK"] }, { "name": "empty", "regions": [] } ],
              "homeJurisdictions": ["home", "EU"],
              "countriesOfConcern": "nobody"
            }
            """));

        Assert.Equal(
            [
                "mode: \"strict\" is not a policy mode; expected \"audit\" or \"enforce\"",
                "taxonomy.categories[0].crossBorder: \"never\" is not a cross-border rule; expected \"requires-approval\" or \"allowed\"",
                "jurisdictions[0].regions[1]: 'UK' is not an ISO 3166-1 alpha-2 code; expected one of the 249 assigned two-letter codes, such as US, GB or CN",
                "jurisdictions[1].regions: empty; jurisdiction \"empty\" must contain at least one region",
                "homeJurisdictions[1]: \"EU\" names no jurisdiction; expected one of \"home\", \"empty\"",
                "countriesOfConcern: \"nobody\" names no jurisdiction; expected one of \"home\", \"empty\", or null for none",
            ],
            exception.Problems);
    }

    [Fact]
    public void Parse_UnknownMembersBesideInvalidValues_ReportsThemAllAtOnce()
    {
        // As a configuration section's problems are: a misspelt member does not hide the file's other mistakes, so
        // whoever edits it sees every one in one run instead of one more after each fix.
        var exception = Assert.Throws<InvalidPolicyException>(() => AccessPolicyJson.Parse("""
            {
              "name": "broken", "version": "1", "mode": "strict",
              "countriesOfConcen": "coc",
              "taxonomy": { "name": "t", "categories": [ { "name": "pii", "crossBorde": "allowed" } ] }
            }
            """));

        Assert.Equal(
            [
                "countriesOfConcen (line 3, byte 23): not a member here; expected one of name, version, mode, taxonomy, jurisdictions, homeJurisdictions, countriesOfConcern, bulkData",
                "taxonomy.categories[0].crossBorde (line 4, byte 76): not a member here; expected one of name, crossBorder",
                "mode: \"strict\" is not a policy mode; expected \"audit\" or \"enforce\"",
                "taxonomy.categories[0].crossBorder: missing; expected \"requires-approval\" or \"allowed\"",
            ],
            exception.Problems);
    }

    [Theory]
    [InlineData("""{"taxonomy":{"name":"t","categories":[{"nam":"x"}]}}""")]
    [InlineData("{\n  \"name\": \"a\",\n  \"countriesOfConcen\": null\n}")]
    [InlineData("""{"bulkData":{"kinds":[{"nme":"x"}]}}""")]
    public void Parse_UnknownMember_NamesItAsReadOptionsDoes(string json)
    {
        var read = Assert.Throws<InvalidPolicyException>(() => AccessPolicyJson.ReadOptions(json));
        var parsed = Assert.Throws<InvalidPolicyException>(() => AccessPolicyJson.Parse(json));

        Assert.Equal(Assert.Single(read.Problems), parsed.Problems[0]);
    }

    [Fact]
    public void Load_InvalidFile_PrefixesEveryProblemWithThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"daa-policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"name":"x","version":"1","taxonomy":{"name":"t","categories":[{"name":"a","crossBorder":"allowed"}]},"homeJurisdictions":["US"]}""");
        try
        {
            var exception = Assert.Throws<InvalidPolicyException>(() => AccessPolicyJson.Load(path));

            Assert.Equal($"{path}: homeJurisdictions[0]: \"US\" names no jurisdiction; expected the name of a jurisdiction defined under jurisdictions, but none is", Assert.Single(exception.Problems));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
