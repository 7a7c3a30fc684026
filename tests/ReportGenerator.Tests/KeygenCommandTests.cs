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

    [Fact]
    public void Keygen_ChainKeyWithCosigner_ExitsTwoNamingTheOptions_WritingNothing()
    {
        var keyFile = Path.Combine(_directory, "audit.keys");

        var run = CommandRun.Of("keygen", "--key-file", keyFile, "--id", "2026-12", "--cosigner");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"error: --cosigner: only with --name NAME --out FILE (a witness's Ed25519 key); a chain key (--key-file FILE --id ID) has no cosigner form.{Environment.NewLine}",
            run.Error);
        Assert.False(File.Exists(keyFile));
    }

    [Theory]
    [InlineData("--key-file", "--name")]
    [InlineData("--key-file", "--out")]
    [InlineData("--id", "--name")]
    [InlineData("--id", "--out")]
    [InlineData("--key-file")]
    [InlineData("--id")]
    [InlineData("--name")]
    [InlineData("--out")]
    [InlineData("--out", "--cosigner")]
    public void Keygen_OptionsOfBothKindsOrOnlyHalfOfOne_ExitTwoSayingWhichGoTogether(params string[] options)
    {
        var values = new Dictionary<string, string[]>
        {
            ["--key-file"] = ["--key-file", Path.Combine(_directory, "audit.keys")],
            ["--id"] = ["--id", "2026-12"],
            ["--name"] = ["--name", "audit.example.com/eu-1"],
            ["--out"] = ["--out", Path.Combine(_directory, "log.key")],
            ["--cosigner"] = ["--cosigner"],
        };

        var run = CommandRun.Of(["keygen", .. options.SelectMany(option => values[option])]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: keygen: give --key-file FILE --id ID for a chain key, or --name NAME --out FILE for a signing key.", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }
}
