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

    [Fact]
    public void Report_InvalidPolicyFile_ExitsTwoNamingFileAndEveryEntry()
    {
        var policy = Path.Combine(_directory, "bad-policy.json");
        File.WriteAllText(policy, File.ReadAllText(PresetFile)
            .Replace("\"requires-approval\"", "\"sometimes\"", StringComparison.Ordinal)
            .Replace("\"CN\", \"CU\"", "\"CN\", \"XX1\"", StringComparison.Ordinal));

        var run = CommandRun.Of("report", "--log", _demo.Log, "--policy", policy, "--out", Path.Combine(_directory, "out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{policy}: taxonomy.categories[0].crossBorder: \"sometimes\"", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{policy}: jurisdictions[2].regions[1]: 'XX1'", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")));
    }

    [Fact]
    public void Report_MissingPolicyFile_ExitsTwoNamingIt()
    {
        var policy = Path.Combine(_directory, "none.json");

        var run = CommandRun.Of("report", "--log", _demo.Log, "--policy", policy);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--policy '{policy}': file not found", run.Error, StringComparison.Ordinal);
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
