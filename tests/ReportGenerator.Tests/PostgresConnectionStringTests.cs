namespace DataAccessAudit.ReportGenerator.Tests;

// A connection string with a port no server can have is a usage error for every command that takes --postgres,
// found before anything connects: exit 1 from verify would say the store is broken.
public sealed class PostgresConnectionStringTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-postgres-connection-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("Host=127.0.0.1;Port=99999;Password=s3cret-pw", "Port 99999 is not a TCP port: expected 1 to 65535.")]
    [InlineData("Host=127.0.0.1:70000;Password=s3cret-pw", "Host '127.0.0.1:70000' names port '70000', which is not a TCP port: expected 1 to 65535.")]
    [InlineData("Host=[::1]:65536,db;Password=s3cret-pw", "Host '[::1]:65536' names port '65536', which is not a TCP port: expected 1 to 65535.")]
    public void PortOutOfRange_ExitsTwoNamingIt_BeforeConnecting(string connection, string problem)
    {
        foreach (var command in new[] { new[] { "verify" }, ["report", "--out", Path.Combine(_directory, "r")], ["demo", "--events", "10", "--out", Path.Combine(_directory, "d")] })
        {
            var run = CommandRun.Of([.. command, "--postgres", connection]);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains(problem, run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-pw", run.Error + run.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Host=[::1];Port=1;Timeout=1")]
    [InlineData("Host=127.0.0.1:1,[::1]:1;Timeout=1")]
    public void PortsInRange_AreTriedAsGiven(string connection)
    {
        var run = CommandRun.Of("verify", "--postgres", connection);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --postgres: cannot read the audit store at ", run.Error, StringComparison.Ordinal);
    }
}
