namespace DataAccessAudit.ReportGenerator.Tests;

// keygen's two kinds of key, a chain key (--key-file FILE --id ID) and a signing key (--name NAME --out FILE), as the
// command line makes them: what a bad value says, and which options go with which.
public sealed class KeygenCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-keygen-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("a b")]
    [InlineData("a+b")]
    [InlineData("a\tb")]
    public void Keygen_NameNotAKeyName_ExitsTwoSayingWhatANameMustBe(string name)
    {
        var key = Path.Combine(_directory, "log.key");

        var run = CommandRun.Of("keygen", "--name", name, "--out", key);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"error: --name '{name.Replace("\t", "\\u0009", StringComparison.Ordinal)}': expected a key name without spaces, control characters or '+', such as audit.example.com/eu-1.{Environment.NewLine}",
            run.Error);
        Assert.False(File.Exists(key));
    }
}
