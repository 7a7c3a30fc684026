using System.Text;
using DataAccessAudit.OpenTelemetry.Tests;

namespace DataAccessAudit.ReportGenerator.Tests;

/// <summary><c>demo --otlp URL</c> against a real OTLP/HTTP receiver on 127.0.0.1.</summary>
public sealed class DemoOtlpTests : IDisposable
{
    // Every requester id and resource id the demo's story uses starts with one of these (DemoStory).
    private static readonly string[] RawIdPrefixes =
    [
        "usds-", "bd-eng-", "bd-master-admin", "sg-ops-", "svc-sg-backup", "ie-tns-", "us-bi-", "cn-bi-", "viewer-",
        "user/", "backup/us/", "metrics/us/", "video/",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("access-report-otlp-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Demo_Otlp_ExportsAllSignalsWithoutRawIds()
    {
        using var receiver = new OtlpReceiver();

        var run = CommandRun.Of("demo", "--out", _directory, "--events", "300", "--otlp", receiver.BaseAddress.ToString());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Exported metrics, traces and logs over OTLP", run.Output, StringComparison.Ordinal);
        var requests = receiver.Requests.ToArray();
        var bodies = requests.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.SelectMany(r => r.Body).ToArray());
        Assert.All(requests, r => Assert.Equal("application/x-protobuf", r.ContentType));
        Assert.True(Contains(bodies["/v1/metrics"], "data_access_audit.accesses"));
        Assert.True(Contains(bodies["/v1/traces"], "data_access_audit.access"));
        Assert.True(Contains(bodies["/v1/traces"], "access-report-demo"));
        Assert.True(bodies.ContainsKey("/v1/logs"));
        foreach (var raw in RawIdPrefixes)
        {
            Assert.All(requests, r => Assert.False(Contains(r.Body, raw), $"{r.Path} carries '{raw}'"));
        }
    }

    [Theory]
    [InlineData("localhost:4318")]
    [InlineData("ftp://localhost:4318")]
    [InlineData("not a url")]
    public void Demo_OtlpNotAnHttpUrl_ExitsTwoNamingIt(string url)
    {
        var run = CommandRun.Of("demo", "--out", _directory, "--events", "10", "--otlp", url);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--otlp '{url}': expected the absolute http:// or https:// base URL", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "log")));
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
