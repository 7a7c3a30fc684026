using DataAccessAudit.Recording;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DataAccessAudit.Samples.WebApi.Tests;

/// <summary>
/// The sample as it runs from the README, on Kestrel at a loopback port (so the gateway headers come from a trusted
/// proxy, as curl's do), with its data in a fresh directory, and a copy of every record kept in memory for the test.
/// </summary>
public sealed class WebApiApp : WebApplicationFactory<Program>
{
    public WebApiApp()
    {
        Directory.CreateDirectory(DataDirectory);
        UseKestrel(0);
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"webapi-{Guid.NewGuid():N}");

    public string LogDirectory => Path.Combine(DataDirectory, "audit-log");

    public InMemoryAccessEventSink Records { get; } = new();

    public HttpClient Start()
    {
        StartServer();
        return CreateClient();
    }

    public ValueTask FlushAsync() => Services.GetRequiredService<IAccessAuditor>().FlushAsync(TestContext.Current.CancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DataDirectory", DataDirectory);
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.ConfigureTestServices(services => services.AddSingleton<IAccessEventSink>(Records));
    }
}
