using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using DataAccessAudit.Reporting.Sources;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Reporting.Tests.Sources;

public sealed class FileLogReportReaderTests : IDisposable
{
    private const string KeyId = "k1";
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "daa-report-log-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Read_IntactKeyedLogWithItsKey_CountsEveryEventAndIsVerified()
    {
        await RecordAsync(3);
        var builder = new AccessReportBuilder(new AccessReportOptions());

        var integrity = FileLogReportReader.Read(_directory, new Dictionary<string, byte[]> { [KeyId] = Key }, builder, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntegrityStatus.Verified, integrity.Status);
        Assert.Empty(integrity.Problems);
        var report = builder.Build(integrity);
        Assert.Equal(3, report.Totals.Events);
        Assert.Equal(3, report.Totals.Flagged);
        Assert.Equal(0, report.InputProblemCount);
    }

    [Fact]
    public async Task Read_KeyedLogWithoutItsKey_IsUnverifiedNamingTheMissingKey()
    {
        await RecordAsync(2);
        var builder = new AccessReportBuilder(new AccessReportOptions());

        var integrity = FileLogReportReader.Read(_directory, keys: null, builder, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntegrityStatus.Unverified, integrity.Status);
        var problem = Assert.Single(integrity.Problems);
        Assert.StartsWith("not verified: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains(KeyId, problem.Message, StringComparison.Ordinal);
        Assert.Equal(2, builder.Build(integrity).Totals.Events);
    }

    [Fact]
    public async Task Read_OneEventLineAltered_IsBrokenAtThatLine()
    {
        await RecordAsync(3);
        var segment = Directory.GetFiles(_directory, "segment-*.jsonl").Single();
        var lines = File.ReadAllLines(segment);
        lines[2] = lines[2].Replace("\"read\"", "\"edit\"", StringComparison.Ordinal);
        File.WriteAllText(segment, string.Join('\n', lines) + "\n");
        var builder = new AccessReportBuilder(new AccessReportOptions());

        var integrity = FileLogReportReader.Read(_directory, new Dictionary<string, byte[]> { [KeyId] = Key }, builder, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntegrityStatus.Broken, integrity.Status);
        var problem = Assert.Single(integrity.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Contains("modified", problem.Message, StringComparison.Ordinal);
        Assert.Equal(3, builder.Build(integrity).Totals.Events);
    }

    private async Task RecordAsync(int count)
    {
        var services = new ServiceCollection()
            .AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2021, 9, 14, 7, 0)))
            .AddDataAccessAudit(audit => audit.AddFileLog(log =>
            {
                log.Directory = _directory;
                log.KeyId = KeyId;
                log.Key = Convert.ToBase64String(Key);
            }))
            .BuildServiceProvider();
        await using (services)
        {
            var auditor = services.GetRequiredService<IAccessAuditor>();
            var requester = new Requester("emp-4411", Region.Parse("CN"));
            for (var i = 0; i < count; i++)
            {
                auditor.Record(requester, new AccessedResource($"user/{i}/messages", Taxonomy.Protected, Region.Parse("US")), "read");
            }

            await auditor.FlushAsync(TestContext.Current.CancellationToken);
        }
    }
}
