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

    // FILE.pub may be the public half of another key, already given to auditors: it is never replaced.
    [Fact]
    public void Keygen_PublicKeyFileExists_ExitsTwo_KeepingItAndMakingNoPrivateKey()
    {
        var key = Path.Combine(_directory, "log.key");
        File.WriteAllText(key + ".pub", "other.example+01020304+AAAA\n");

        var run = CommandRun.Of("keygen", "--name", "audit.example.com/eu-1", "--out", key);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"error: --out '{key}': '{key}.pub' already exists, and keygen writes the public key there; give another FILE (a key's public half is never replaced).{Environment.NewLine}",
            run.Error);
        Assert.Equal("other.example+01020304+AAAA\n", File.ReadAllText(key + ".pub"));
        Assert.False(File.Exists(key));
    }

    [Fact]
    public void Keygen_OutADirectory_ExitsTwoSayingSo()
    {
        var run = CommandRun.Of("keygen", "--name", "audit.example.com/eu-1", "--out", _directory);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: --out '{_directory}': is a directory; expected the private key file to create.{Environment.NewLine}", run.Error);
    }

    // A real full disk, with no room at all or room for the private key but not for its public half: no part of a pair
    // is left (an empty private key file would be read as a bad key), so that the same keygen can be run again once
    // there is room.
    [Theory]
    [InlineData(0, "key")]
    [InlineData(4096, "public key")]
    public async Task Keygen_DiskFull_LeavesNoPartOfTheKeyPair(int room, string file)
    {
        const string Script = """
            tool="$1"; fs="$2"; results="$3"; room="$4"
            mount -t tmpfs -o size=64k tmpfs "$fs"
            free=$(( $(stat -f -c %a "$fs") * $(stat -f -c %S "$fs") ))
            fallocate -l $(( free - room )) "$fs/filler"
            set +e
            dotnet exec "$tool" keygen --name audit.example.com/eu-1 --out "$fs/log.key" > /dev/null 2> "$results/error"
            echo $? > "$results/exit"
            ls -A "$fs" > "$results/names"
            """;
        var fileSystem = Directory.CreateDirectory(Path.Combine(_directory, "fs")).FullName;
        var results = Directory.CreateDirectory(Path.Combine(_directory, "results")).FullName;

        var run = await ToolProcess.RunInMountNamespace(Script, fileSystem, results, room.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(run.ExitCode == 0, $"the script failed ({run.ExitCode}): {run.Error}");
        Assert.Equal("2", File.ReadAllText(Path.Combine(results, "exit")).Trim());
        var path = file == "key" ? $"{fileSystem}/log.key" : $"{fileSystem}/log.key.pub";
        Assert.StartsWith($"error: --out '{fileSystem}/log.key': cannot create the {file} file", File.ReadAllText(Path.Combine(results, "error")), StringComparison.Ordinal);
        Assert.Contains(path, File.ReadAllText(Path.Combine(results, "error")), StringComparison.Ordinal);
        Assert.Equal("filler\n", File.ReadAllText(Path.Combine(results, "names")));
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
