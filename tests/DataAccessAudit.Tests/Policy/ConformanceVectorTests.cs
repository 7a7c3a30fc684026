using System.Text;
using System.Text.Json;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;

namespace DataAccessAudit.Tests.Policy;

public sealed class ConformanceVectorTests
{
    private const string VectorFile = "project-texas-decisions.jsonl";

    public static TheoryData<string, string, string, string> Vectors()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var line in File.ReadLines(TestData.Path("vectors", VectorFile)))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            data.Add(
                root.GetProperty("case").GetString()!,
                root.GetProperty("mode").GetString()!,
                root.GetProperty("event").GetRawText(),
                root.GetProperty("expected").GetRawText());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Evaluate_ConformanceVector_GivesExpectedDecision(string name, string mode, string eventJson, string expectedJson)
    {
        var policy = AccessPolicy.ProjectTexas.WithMode(mode == "enforce" ? PolicyMode.Enforce : PolicyMode.Audit);
        var record = AccessEventJson.Parse(eventJson);

        var decision = policy.Evaluate(record.Event);

        using var expected = JsonDocument.Parse(expectedJson);
        var root = expected.RootElement;
        Assert.True(
            root.GetProperty("outcome").GetString() == OutcomeNames.Format(decision.Outcome),
            $"{name} ({mode}): expected outcome {root.GetProperty("outcome")}, got {decision}");
        Assert.Equal(root.GetProperty("crossBorder").GetBoolean(), decision.CrossBorder);
        var expectedFindings = root.GetProperty("findings").EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(expectedFindings, decision.Findings.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Vectors_CoverEveryCaseInBothModes()
    {
        var modes = Vectors().Select(row => row.Data.Item2).Distinct().Order();
        Assert.Equal(["audit", "enforce"], modes);
        Assert.Equal(78, Vectors().Count);
    }
}
