namespace DataAccessAudit.ReportGenerator.Tests;

/// <summary><c>report --policy FILE</c>: a policy JSON file instead of the preset name.</summary>
public sealed class ReportPolicyTests : IClassFixture<DemoLogFixture>, IDisposable
{
    private readonly DemoLogFixture _demo;
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-policy-").FullName;

    public ReportPolicyTests(DemoLogFixture demo) => _demo = demo;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Report_PresetPolicyFileReevaluated_GivesSameReportAsDefault()
    {
        var byName = Path.Combine(_directory, "by-name");
        var byFile = Path.Combine(_directory, "by-file");

        var a = CommandRun.Of("report", "--log", _demo.Log, "--key-file", _demo.KeyFile, "--reevaluate", "--format", "json", "--out", byName);
        var b = CommandRun.Of("report", "--log", _demo.Log, "--key-file", _demo.KeyFile, "--reevaluate", "--format", "json", "--out", byFile, "--policy", PresetFile);

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(byName, "report.json")), File.ReadAllText(Path.Combine(byFile, "report.json")));
    }

    // Saved as some editors save UTF-8, with a byte order mark first, as event, key and checkpoint files may be.
    [Fact]
    public void Report_PolicyFileWithAByteOrderMark_IsReadAsWithout()
    {
        var policy = Path.Combine(_directory, "bom-policy.json");
        File.WriteAllBytes(policy, [.. System.Text.Encoding.UTF8.Preamble, .. File.ReadAllBytes(PresetFile)]);
        var withoutMark = Path.Combine(_directory, "without");
        var withMark = Path.Combine(_directory, "with");

        var a = CommandRun.Of("report", "--log", _demo.Log, "--key-file", _demo.KeyFile, "--reevaluate", "--format", "json", "--out", withoutMark, "--policy", PresetFile);
        var b = CommandRun.Of("report", "--log", _demo.Log, "--key-file", _demo.KeyFile, "--reevaluate", "--format", "json", "--out", withMark, "--policy", policy);

        Assert.Equal(0, a.ExitCode);
        Assert.True(b.ExitCode == 0, b.Error);
        Assert.Equal(File.ReadAllText(Path.Combine(withoutMark, "report.json")), File.ReadAllText(Path.Combine(withMark, "report.json")));
    }

    [Fact]
    public void Report_InvalidPolicyFile_ExitsTwoNamingFileAndEveryEntryOnALineOfItsOwn()
    {
        var policy = WriteTwoProblemPolicy("bad-policy.json");

        var run = CommandRun.Of("report", "--log", _demo.Log, "--policy", policy, "--out", Path.Combine(_directory, "out"));

        Assert.Equal(2, run.ExitCode);
        var lines = run.Error.Split(Environment.NewLine)[..^1];
        Assert.Equal(3, lines.Length);
        Assert.Equal($"error: --policy '{policy}': not a valid policy (2 problems):", lines[0]);
        Assert.StartsWith($"  {policy}: taxonomy.categories[0].crossBorder: \"sometimes\"", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"  {policy}: jurisdictions[2].regions[1]: 'XX1'", lines[2], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")));
    }

    [Fact]
    public void Report_PolicyFileNamedWithALineBreak_ShowsTheBreakEscapedInEveryLine()
    {
        var policy = WriteTwoProblemPolicy("bad\nerror: fake.json");
        var shown = policy.Replace("\n", "\\u000A", StringComparison.Ordinal);

        var run = CommandRun.Of("report", "--log", _demo.Log, "--policy", policy, "--out", Path.Combine(_directory, "out"));

        Assert.Equal(2, run.ExitCode);
        var lines = run.Error.Split(Environment.NewLine)[..^1];
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"error: --policy '{shown}': not a valid policy (2 problems):", lines[0], StringComparison.Ordinal);
        Assert.All(lines[1..], line => Assert.StartsWith($"  {shown}: ", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Report_MissingPolicyFile_ExitsTwoNamingIt()
    {
        var policy = Path.Combine(_directory, "none.json");

        var run = CommandRun.Of("report", "--log", _demo.Log, "--policy", policy);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--policy '{policy}': file not found", run.Error, StringComparison.Ordinal);
    }

    // The preset with two entries made invalid: an unknown cross-border rule and an unknown region.
    private string WriteTwoProblemPolicy(string name)
    {
        var policy = Path.Combine(_directory, name);
        File.WriteAllText(policy, File.ReadAllText(PresetFile)
            .Replace("\"requires-approval\"", "\"sometimes\"", StringComparison.Ordinal)
            .Replace("\"CN\", \"CU\"", "\"CN\", \"XX1\"", StringComparison.Ordinal));
        return policy;
    }

    // docs/policies/project-texas.json: the preset written out, found from the test's output directory upwards.
    private static string PresetFile
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "docs", "policies", "project-texas.json");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("docs/policies/project-texas.json not found above " + AppContext.BaseDirectory);
        }
    }
}
