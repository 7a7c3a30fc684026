using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Log;
using DataAccessAudit.Transparency;
using DataAccessAudit.BulkData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.Tests.DependencyInjection;

public sealed class ContentRootPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("content-root-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private IHost BuildHost(Action<IDataAccessAuditBuilder> configure)
    {
        // A service's current directory is usually / (systemd) or System32 (Windows): never the app's own folder.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root });
        builder.Services.AddDataAccessAudit(configure);
        return builder.Build();
    }

    [Fact]
    public async Task AddFileLog_RelativeDirectory_IsCreatedUnderTheContentRootNotTheCurrentDirectory()
    {
        var name = "audit-log-" + Guid.NewGuid().ToString("N");
        using (var host = BuildHost(audit => audit.AddFileLog(o => o.Directory = name)))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            Assert.Equal(Path.Combine(_root, name), host.Services.GetRequiredService<IOptions<FileLogOptions>>().Value.Directory);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(Directory.Exists(Path.Combine(_root, name)));
        Assert.False(Directory.Exists(Path.Combine(Environment.CurrentDirectory, name)));
    }

    [Fact]
    public void RelativeFilePaths_AreTakenFromTheContentRoot_AbsoluteOnesAreKept()
    {
        var elsewhere = Directory.CreateTempSubdirectory("elsewhere-").FullName;
        var absolute = Path.Combine(elsewhere, "audit.keys");
        FileLogKeyRing.Generate("k1").Write(absolute);
        Directory.CreateDirectory(Path.Combine(_root, "keys"));
        NoteSigningKey.Generate("audit.example.com/content-root").Save(Path.Combine(_root, "keys", "log.key"));
        using var host = BuildHost(audit => audit
            .AddFileLog(o => { o.Directory = Path.Combine("logs", "..", "log"); o.KeyFile = absolute; })
            .AddFileLogCheckpoints(o => o.KeyFile = "keys/log.key")
            .AddBulkDataMonitor(o => o.StatePath = "bulk.state"));

        Assert.Equal(Path.Combine(_root, "log"), host.Services.GetRequiredService<IOptions<FileLogOptions>>().Value.Directory);
        Assert.Equal(absolute, host.Services.GetRequiredService<IOptions<FileLogOptions>>().Value.KeyFile);
        Assert.Equal(Path.Combine(_root, "keys", "log.key"), host.Services.GetRequiredService<IOptions<CheckpointOptions>>().Value.KeyFile);
        Assert.Equal(Path.Combine(_root, "bulk.state"), host.Services.GetRequiredService<IOptions<BulkDataMonitorOptions>>().Value.StatePath);
        Directory.Delete(elsewhere, recursive: true);
    }

    [Fact]
    public void WithoutAHost_ARelativeDirectoryStaysAsGiven()
    {
        var services = new ServiceCollection();
        services.AddDataAccessAudit(audit => audit.AddFileLog(o => o.Directory = "audit-log"));
        using var provider = services.BuildServiceProvider();

        Assert.Equal("audit-log", provider.GetRequiredService<IOptions<FileLogOptions>>().Value.Directory);
    }
}
