using System.Diagnostics;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Log;
using DataAccessAudit.Recording;
using DataAccessAudit.Tests.Log;
using DataAccessAudit.Transparency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Transparency;

public sealed class CheckpointOptionsValidatorTests : IDisposable
{
    private readonly string _log = LogFixture.NewDirectory();
    private readonly string _keys = Directory.CreateTempSubdirectory("checkpoint-keys-").FullName;

    private string KeyFile => Path.Combine(_keys, "log.key");

    public void Dispose()
    {
        Directory.Delete(_keys, recursive: true);
        if (Directory.Exists(_log))
        {
            Directory.Delete(_log, recursive: true);
        }
    }

    public static TheoryData<string, string> BadKeyFiles() => new()
    {
        { "missing", "does not exist" },
        { "directory", "is a directory, not a key file" },
        { "fifo", "is a FIFO (named pipe), not a key file" },
        { "unreadable", "cannot be read (" },
        { "chain keys", "holds the file log's chain keys ('id:base64' lines, for FileLogOptions.KeyFile), not a checkpoint signing key" },
        { "cosigner", "holds a witness's cosigner key (witness.example.org/w1), which cosigns a log's checkpoints and cannot sign them" },
        { "not a key", "does not hold a signing key (A private key must start with 'PRIVATE+KEY+')" },
        { "damaged key", "does not hold a signing key (A private key is PRIVATE+KEY+name+hash+base64" },
    };

    [Theory]
    [MemberData(nameof(BadKeyFiles))]
    public async Task Host_KeyFileThatCannotSign_FailsAtStartNamingTheOptionThePathAndWhatWasExpected_WithoutItsText(string kind, string problem)
    {
        var secret = Make(kind);
        using var host = BuildHost();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"CheckpointOptions.KeyFile \"{KeyFile}\" {problem}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("expected the log's checkpoint signing key, made by 'access-report keygen --name NAME --out FILE'.", exception.Message, StringComparison.Ordinal);
        if (secret.Length > 0)
        {
            Assert.DoesNotContain(secret, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Host_MissingKeyFileBesideABadLogOption_FailsAtStartNamingBoth()
    {
        // The checkpoint writer reads the log's options when it is built, and the host builds its hosted services
        // before it validates options: the log's mistake must not hide the key file's, nor the key file's the log's.
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDataAccessAudit(audit => audit
            .AddFileLog(o => { o.Directory = _log; o.MaxSegmentSize = 100; })
            .AddFileLogCheckpoints(o => o.KeyFile = KeyFile));
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var messages = string.Join("\n", exception.InnerExceptions.Select(inner => Assert.IsType<OptionsValidationException>(inner).Message));
        Assert.Contains($"CheckpointOptions.KeyFile \"{KeyFile}\" does not exist", messages, StringComparison.Ordinal);
        Assert.Contains("FileLogOptions.MaxSegmentSize is 100: expected from 4096", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_KeyFileHoldingALogSigningKey_StartsAndSigns()
    {
        var key = NoteSigningKey.Generate("audit.example.com/eu-1");
        key.Save(KeyFile);
        using (var host = BuildHost())
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            host.Services.GetRequiredService<IAccessAuditor>().Record(LogFixture.Event(1));
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        var checkpoint = File.ReadAllText(Path.Combine(_log, "tree", "checkpoint"));
        Assert.Equal(1, Checkpoint.Open(checkpoint, [key.VerifierKey]).Checkpoint.TreeSize);
    }

    // The file is checked when the host starts, not each time the options are built (a snapshot per scope): a bad key
    // put in its place later fails the checkpoints that read it (logged, as before), not whoever reads the options.
    [Fact]
    public async Task Host_KeyFileDamagedAfterStart_TheOptionsStillReadAndOnlyTheCheckpointFails()
    {
        NoteSigningKey.Generate("audit.example.com/eu-1").Save(KeyFile);
        using var host = BuildHost();
        await host.StartAsync(TestContext.Current.CancellationToken);
        host.Services.GetRequiredService<IAccessAuditor>().Record(LogFixture.Event(1));

        File.WriteAllText(KeyFile, "not a key\n");

        Assert.Equal(KeyFile, host.Services.GetRequiredService<IOptionsMonitor<CheckpointOptions>>().CurrentValue.KeyFile);
        using (var scope = host.Services.CreateScope())
        {
            Assert.Equal(KeyFile, scope.ServiceProvider.GetRequiredService<IOptionsSnapshot<CheckpointOptions>>().Value.KeyFile);
        }

        Assert.Throws<FormatException>(() => host.Services.GetRequiredService<CheckpointWriter>().CheckpointNow());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(new FakeClock(LogFixture.Start));
        builder.Services.AddDataAccessAudit(audit => audit
            .AddFileLog(o => o.Directory = _log)
            .AddFileLogCheckpoints(o => { o.KeyFile = KeyFile; o.Interval = TimeSpan.FromDays(1); })
            .ConfigureRecording(o => o.Durability = RecordingDurability.Synchronous));
        return builder.Build();
    }

    // Puts the kind of bad key file at KeyFile; returns the secret part of what it holds, which no message may show.
    private string Make(string kind)
    {
        switch (kind)
        {
            case "missing":
                return string.Empty;
            case "directory":
                Directory.CreateDirectory(KeyFile);
                return string.Empty;
            case "fifo":
                Assert.SkipUnless(OperatingSystem.IsLinux(), "mkfifo is a Linux test here");
                using (var mkfifo = Process.Start("mkfifo", [KeyFile]))
                {
                    mkfifo.WaitForExit();
                    Assert.Equal(0, mkfifo.ExitCode);
                }

                return string.Empty;
            case "unreadable":
                NoteSigningKey.Generate("audit.example.com/eu-1").Save(KeyFile);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(KeyFile, UnixFileMode.None);
                }

                if (CanRead(KeyFile) && OperatingSystem.IsLinux())
                {
                    // Root reads a file whatever its mode: a regular file whose reading fails (EIO) stands in for it.
                    File.Delete(KeyFile);
                    File.CreateSymbolicLink(KeyFile, "/proc/self/mem");
                }

                Assert.SkipWhen(CanRead(KeyFile), "this platform has no file modes, and no file whose reading fails");
                return string.Empty;
            case "chain keys":
                var ring = FileLogKeyRing.Generate("2026-11");
                ring.Write(KeyFile);
                return Convert.ToBase64String(ring.Keys["2026-11"]);
            case "cosigner":
                var witness = NoteSigningKey.Generate("witness.example.org/w1", cosigner: true);
                witness.Save(KeyFile);
                return witness.Export().Split('+', 5)[4];
            case "not a key":
                File.WriteAllText(KeyFile, "kjH7sQ2pX9vLmN4tR8wZ0aBcDeFgHiJk\n");
                return "kjH7sQ2pX9vLmN4tR8wZ0aBcDeFgHiJk";
            case "damaged key":
                var export = NoteSigningKey.Generate("audit.example.com/eu-1").Export()[..^4];
                File.WriteAllText(KeyFile, export + "\n");
                return export.Split('+', 5)[4];
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "an unknown kind of key file");
        }
    }

    private static bool CanRead(string path)
    {
        try
        {
            File.ReadAllBytes(path);
            return true;
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
