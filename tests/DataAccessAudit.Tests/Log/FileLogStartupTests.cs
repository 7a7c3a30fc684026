using DataAccessAudit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataAccessAudit.Tests.Log;

// An app whose log directory cannot be made (a path an ordinary user may not write, a typo through a file) must fail to
// start naming it, not answer 500 to every audited request once it runs.
public sealed class FileLogStartupTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task HostStart_LogDirectoryCannotBeCreated_FailsNamingTheDirectory_BeforeAnyAccess()
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "not-a-directory");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        var logDirectory = Path.Combine(file, "audit");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDataAccessAudit(audit => audit.AddFileLog(log => log.Directory = logDirectory));
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<IOException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"The audit log directory '{logDirectory}' cannot be opened for writing", exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(logDirectory));
    }
}
