using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

public sealed class FileLogRegistrationTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();

    [Fact]
    public async Task AddFileLog_HostStartsRecordsAndStops_TheLogHoldsTheAccessAndVerifies()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(new FakeClock(LogFixture.Start));
        builder.Services.AddDataAccessAudit(audit => audit
            .AddFileLog(o => { o.Directory = _directory; o.KeyId = LogFixture.KeyId; o.Key = Convert.ToBase64String(LogFixture.Key); })
            .ConfigureRecording(o => o.Durability = RecordingDurability.Synchronous));
        using (var host = builder.Build())
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            var decision = host.Services.GetRequiredService<IAccessAuditor>().Record(LogFixture.Event(2));
            Assert.Equal(AccessOutcome.Flagged, decision.Outcome);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.True(result.IsIntact, result.Break?.ToString());
        Assert.Equal(1, result.Events);
    }

    [Fact]
    public async Task AddFileLog_SecondHostOnTheSameDirectory_FailsAtStartNamingTheDirectory_AndTheFirstKeepsRecording()
    {
        using var first = BuildHost(_directory);
        await first.StartAsync(TestContext.Current.CancellationToken);
        first.Services.GetRequiredService<IAccessAuditor>().Record(LogFixture.Event(1));

        using var second = BuildHost(_directory);
        var exception = await Assert.ThrowsAsync<IOException>(() => second.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(Path.GetFullPath(_directory), exception.Message, StringComparison.Ordinal);
        Assert.Contains("one writer", exception.Message, StringComparison.Ordinal);
        Assert.Contains("its own log directory", exception.Message, StringComparison.Ordinal);
        first.Services.GetRequiredService<IAccessAuditor>().Record(LogFixture.Event(2));
        await first.StopAsync(TestContext.Current.CancellationToken);
        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(2, result.Events);
    }

    [Fact]
    public void AddFileLog_FromAConfigurationSection_BindsEveryOption()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:Log:Directory"] = _directory,
            ["Audit:Log:MaxSegmentSize"] = "1048576",
            ["Audit:Log:RotationInterval"] = "02:00:00",
            ["Audit:Log:Retention"] = "30.00:00:00",
            ["Audit:Log:KeyId"] = "k1",
            ["Audit:Log:Key"] = Convert.ToBase64String(LogFixture.Key),
            ["Audit:Recording:Capacity"] = "2048",
            ["Audit:Recording:FullMode"] = "drop",
            ["Audit:Recording:Durability"] = "Synchronous",
            ["Audit:Recording:FlushInterval"] = "00:00:00.250",
        }).Build();
        var services = new ServiceCollection().AddDataAccessAudit(audit => audit
            .AddFileLog(configuration.GetSection("Audit:Log"))
            .ConfigureRecording(configuration.GetSection("Audit:Recording")));
        using var provider = services.BuildServiceProvider();

        var log = provider.GetRequiredService<IOptions<FileLogOptions>>().Value;
        var recording = provider.GetRequiredService<IOptions<RecordingOptions>>().Value;

        Assert.Equal((_directory, 1048576L, TimeSpan.FromHours(2), (TimeSpan?)TimeSpan.FromDays(30), "k1"), (log.Directory, log.MaxSegmentSize, log.RotationInterval, log.Retention, log.KeyId));
        Assert.Equal((2048, RecordingFullMode.Drop, RecordingDurability.Synchronous, TimeSpan.FromMilliseconds(250)), (recording.Capacity, recording.FullMode, recording.Durability, recording.FlushInterval));
    }

    [Theory]
    [InlineData("Audit:Log:Retension", "30.00:00:00", "Audit:Log:Retension: 'Retension' is not a setting of FileLogOptions; expected one of Directory, MaxSegmentSize, RotationInterval, Retention, KeyId, Key, KeyFile")]
    [InlineData("Audit:Log:MaxSegmentSize", "big", "Audit:Log:MaxSegmentSize: \"big\" is not a whole number from -9223372036854775808 to 9223372036854775807")]
    [InlineData("Audit:Log:Retention", "a month", "Audit:Log:Retention: \"a month\" is not a time span written d.hh:mm:ss, such as 1.00:00:00 for a day")]
    [InlineData("Audit:Recording:FullMode", "sometimes", "Audit:Recording:FullMode: \"sometimes\" is not one of Block, Drop")]
    [InlineData("Audit:Recording:Capacitty", "2048", "Audit:Recording:Capacitty: 'Capacitty' is not a setting of RecordingOptions; expected one of Capacity, FullMode, Durability, FlushInterval, MaxBatchSize")]
    [InlineData("Audit:Log:KeyId:Current", "k1", "Audit:Log:KeyId:Current: 'Current' is not a setting of FileLogOptions; Audit:Log:KeyId is a single value")]
    public async Task AddFileLog_SectionWithAMisspeltKeyOrABadValue_FailsAtStartNamingItsPath(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:Log:Directory"] = _directory,
            [key] = value,
        }).Build();
        using var host = HostOf(configuration, audit => audit
            .AddFileLog(configuration.GetSection("Audit:Log"))
            .ConfigureRecording(configuration.GetSection("Audit:Recording")));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(named, Assert.Single(exception.Failures));
    }

    [Fact]
    public async Task AddFileLog_SectionWithAMisspeltKeyBesideABadValue_FailsAtStartNamingBoth()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:Log:Directory"] = _directory,
            ["Audit:Log:Retension"] = "30.00:00:00",
            ["Audit:Log:MaxSegmentSize"] = "100",
        }).Build();
        using var host = HostOf(configuration, audit => audit.AddFileLog(configuration.GetSection("Audit:Log")));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var failures = string.Join("\n", exception.Failures);
        Assert.Contains("Audit:Log:Retension: 'Retension' is not a setting of FileLogOptions; expected one of Directory, MaxSegmentSize,", failures, StringComparison.Ordinal);
        Assert.Contains("FileLogOptions.MaxSegmentSize is 100: expected from 4096", failures, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFileLog_TwoSectionsEachWithAMistake_FailsAtStartNamingBoth()
    {
        // The host builds its hosted services before it validates options: a hosted service that read the log's
        // options when built would throw the log section's mistake alone, and the recording section's would show
        // only once that one was fixed.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:Log:Directory"] = _directory,
            ["Audit:Log:Retension"] = "30.00:00:00",
            ["Audit:Recording:Capacitty"] = "2048",
        }).Build();
        using var host = HostOf(configuration, audit => audit
            .AddFileLog(configuration.GetSection("Audit:Log"))
            .ConfigureRecording(configuration.GetSection("Audit:Recording")));

        var exception = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var failures = exception.InnerExceptions.Select(inner => Assert.Single(Assert.IsType<OptionsValidationException>(inner).Failures)).Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            "Audit:Log:Retension: 'Retension' is not a setting of FileLogOptions; expected one of Directory, MaxSegmentSize, RotationInterval, Retention, KeyId, Key, KeyFile",
            "Audit:Recording:Capacitty: 'Capacitty' is not a setting of RecordingOptions; expected one of Capacity, FullMode, Durability, FlushInterval, MaxBatchSize",
        ], failures);
    }

    [Fact]
    public async Task ConfigureRecording_SectionWithAMisspeltKeyBesideBadValues_FailsAtStartNamingEveryOne()
    {
        // Capacity comes before MaxBatchSize: a binder that stopped at the first value it cannot convert would leave
        // MaxBatchSize unbound and its own mistake unreported.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:Recording:Capacity"] = "lots",
            ["Audit:Recording:MaxBatchSize"] = "0",
            ["Audit:Recording:Durabilty"] = "Synchronous",
        }).Build();
        using var host = HostOf(configuration, audit => audit.ConfigureRecording(configuration.GetSection("Audit:Recording")));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var failures = string.Join("\n", exception.Failures);
        Assert.Contains("Audit:Recording:Capacity: \"lots\" is not a whole number", failures, StringComparison.Ordinal);
        Assert.Contains("RecordingOptions.MaxBatchSize is 0: expected from 1 to 65536.", failures, StringComparison.Ordinal);
        Assert.Contains("Audit:Recording:Durabilty: 'Durabilty' is not a setting of RecordingOptions; expected one of Capacity, FullMode, Durability, FlushInterval, MaxBatchSize", failures, StringComparison.Ordinal);
        Assert.DoesNotContain("RecordingOptions.Capacity", failures, StringComparison.Ordinal);
    }

    private static IHost HostOf(IConfiguration configuration, Action<IDataAccessAuditBuilder> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddDataAccessAudit(configure);
        return builder.Build();
    }

    [Theory]
    [InlineData("KeyId", "FileLogOptions.KeyId")]
    [InlineData("ShortKey", "FileLogOptions.Key")]
    [InlineData("Rotation", "FileLogOptions.RotationInterval")]
    [InlineData("SegmentSize", "FileLogOptions.MaxSegmentSize is 100: expected from 4096 to 9223372036854775807.")]
    [InlineData("Directory", "Directory")]
    [InlineData("Capacity", "RecordingOptions.Capacity is 10: expected from 1024 to 16777216.")]
    [InlineData("BatchSize", "RecordingOptions.MaxBatchSize is 0: expected from 1 to 65536.")]
    [InlineData("FullMode", "RecordingOptions.FullMode is 7: expected Block, Drop.")]
    [InlineData("FlushInterval", "RecordingOptions.FlushInterval")]
    public async Task Start_InvalidOptions_FailsNamingTheOption(string invalid, string named)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDataAccessAudit(audit => audit
            .AddFileLog(o =>
            {
                o.Directory = invalid == "Directory" ? string.Empty : _directory;
                o.KeyId = invalid == "KeyId" ? "k1" : null;
                (o.KeyId, o.Key) = invalid == "ShortKey" ? ("k1", Convert.ToBase64String(new byte[16])) : (o.KeyId, null);
                o.RotationInterval = invalid == "Rotation" ? TimeSpan.Zero : o.RotationInterval;
                o.MaxSegmentSize = invalid == "SegmentSize" ? 100 : o.MaxSegmentSize;
            })
            .ConfigureRecording(o =>
            {
                o.Capacity = invalid == "Capacity" ? 10 : o.Capacity;
                o.MaxBatchSize = invalid == "BatchSize" ? 0 : o.MaxBatchSize;
                o.FullMode = invalid == "FullMode" ? (RecordingFullMode)7 : o.FullMode;
                o.FlushInterval = invalid == "FlushInterval" ? TimeSpan.Zero : o.FlushInterval;
            }));
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFileLog_WithAKeyFile_ChainsWithItsNewestKey_SoTheFileVerifiesTheLog()
    {
        var keyFile = Path.Combine(_directory + "-keys", "audit.keys");
        FileLogKeyRing.Generate("2026-11").WithNewKey("2026-12").Write(keyFile);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(new FakeClock(LogFixture.Start));
        builder.Services.AddDataAccessAudit(audit => audit
            .AddFileLog(o => { o.Directory = _directory; o.KeyFile = keyFile; })
            .ConfigureRecording(o => o.Durability = RecordingDurability.Synchronous));
        using (var host = builder.Build())
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            host.Services.GetRequiredService<IAccessAuditor>().Record(LogFixture.Event(1));
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        var keys = FileLogKeyRing.Read(keyFile).Keys;
        var result = FileLogVerifier.Verify(_directory, keys, TestContext.Current.CancellationToken);
        var other = FileLogVerifier.Verify(_directory, new Dictionary<string, byte[]> { ["2026-12"] = keys["2026-11"] }, TestContext.Current.CancellationToken);

        Assert.Equal(LogVerdict.Verified, result.Verdict);
        Assert.Equal(1, result.Events);
        Assert.Equal(LogVerdict.Broken, other.Verdict);
        Directory.Delete(Path.GetDirectoryName(keyFile)!, recursive: true);
    }

    [Theory]
    [InlineData(false, "cannot be used: ")]
    [InlineData(true, "is given and FileLogOptions.Key or KeyId is set too")]
    public async Task AddFileLog_KeyFileMissingOrBesideAKey_FailsAtStartNamingTheFile(bool alsoKey, string expected)
    {
        var keyFile = Path.Combine(_directory, "no-such.keys");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDataAccessAudit(audit => audit.AddFileLog(o =>
        {
            o.Directory = _directory;
            o.KeyFile = keyFile;
            o.KeyId = alsoKey ? LogFixture.KeyId : null;
        }));
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"FileLogOptions.KeyFile \"{keyFile}\" ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(keyFile));
    }

    private static IHost BuildHost(string directory)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(new FakeClock(LogFixture.Start));
        builder.Services.AddDataAccessAudit(audit => audit
            .AddFileLog(o => { o.Directory = directory; o.KeyId = LogFixture.KeyId; o.Key = Convert.ToBase64String(LogFixture.Key); })
            .ConfigureRecording(o => o.Durability = RecordingDurability.Synchronous));
        return builder.Build();
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
