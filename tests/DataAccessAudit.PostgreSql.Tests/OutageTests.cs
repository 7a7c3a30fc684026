using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Recording;
using DataAccessAudit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DataAccessAudit.PostgreSql.Tests;

// These stop and kill the shared server's connections, so they run alone.
[CollectionDefinition(nameof(OutageTests), DisableParallelization = true)]
public sealed class OutageTestsDefinition;

[Collection(nameof(OutageTests))]
public sealed class OutageTests(PostgreSqlServer server)
{
    [Fact]
    public async Task A_server_restart_mid_run_buffers_the_accesses_then_writes_each_once()
    {
        var db = await server.CreateDatabaseAsync();
        await using (var provider = Stories.Recorder(db, "web"))
        {
            var auditor = provider.GetRequiredService<IAccessAuditor>();
            Record(auditor, Stories.Events(400, seed: 1, prefix: "before"));
            await auditor.FlushAsync(TestContext.Current.CancellationToken);

            await server.StopAsync();
            try
            {
                // Recorded while the database is down: they wait in the queue; a flush says they are not durable.
                Record(auditor, Stories.Events(600, seed: 2, prefix: "during"));
                await Assert.ThrowsAnyAsync<IOException>(async () => await auditor.FlushAsync(TestContext.Current.CancellationToken));
            }
            finally
            {
                await server.StartAsync();
            }

            Record(auditor, Stories.Events(300, seed: 3, prefix: "after"));
            await FlushUntilDurableAsync(auditor);
        }

        await AssertExactlyOnceAsync(db, 1300);
    }

    [Fact]
    public async Task A_terminated_backend_mid_run_loses_and_repeats_nothing()
    {
        var db = await server.CreateDatabaseAsync();
        await using (var provider = Stories.Recorder(db, "web"))
        {
            var auditor = provider.GetRequiredService<IAccessAuditor>();
            Record(auditor, Stories.Events(500, seed: 4, prefix: "before"));
            await auditor.FlushAsync(TestContext.Current.CancellationToken);

            await using (var admin = new NpgsqlConnection(db))
            {
                await admin.OpenAsync(TestContext.Current.CancellationToken);
                await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", admin);
                Assert.Equal(1L, await kill.ExecuteScalarAsync(TestContext.Current.CancellationToken));
            }

            Record(auditor, Stories.Events(500, seed: 5, prefix: "after"));
            await FlushUntilDurableAsync(auditor);
        }

        await AssertExactlyOnceAsync(db, 1000);
    }

    [Fact]
    public async Task In_drop_mode_an_outage_drops_with_a_gap_record_and_no_silent_loss()
    {
        var db = await server.CreateDatabaseAsync();
        long dropped;
        await using (var provider = Stories.Recorder(db, "web", audit => audit.ConfigureRecording(r =>
        {
            r.FullMode = RecordingFullMode.Drop;
            r.Capacity = 1024;
        })))
        {
            var auditor = provider.GetRequiredService<IAccessAuditor>();
            Record(auditor, Stories.Events(100, seed: 6, prefix: "before"));
            await auditor.FlushAsync(TestContext.Current.CancellationToken);

            await server.StopAsync();
            try
            {
                Record(auditor, Stories.Events(5000, seed: 7, prefix: "during"));
            }
            finally
            {
                await server.StartAsync();
            }

            await FlushUntilDurableAsync(auditor);
        }

        await using var store = new PostgreSqlAuditStore(db);
        var verification = await store.VerifyAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact, verification.ToString());
        dropped = verification.DroppedEvents;
        Assert.True(dropped > 0, "some accesses were dropped");
        Assert.Equal(5100, verification.Events + dropped);

        var report = await store.BuildReportAsync(new DataAccessAudit.Reporting.AccessReportOptions(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(report.Integrity.Problems, p => p.Message.StartsWith($"gap: the recorder dropped {dropped} accesses", StringComparison.Ordinal));
    }

    internal static void Record(IAccessAuditor auditor, IEnumerable<Events.AccessEvent> events)
    {
        foreach (var e in events)
        {
            auditor.Record(e);
        }
    }

    // The writer retries on its own every flush interval; a flush that lands on a failed attempt reports it, and the
    // next one waits for the retry.
    private static async Task FlushUntilDurableAsync(IAccessAuditor auditor)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await auditor.FlushAsync(TestContext.Current.CancellationToken);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
            }
        }
    }

    internal static async Task AssertExactlyOnceAsync(string db, int expected)
    {
        await using var store = new PostgreSqlAuditStore(db);
        var verification = await store.VerifyAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(expected, verification.Events);
        var ids = new HashSet<string>();
        await foreach (var record in store.ReadAsync(_ => { }, TestContext.Current.CancellationToken))
        {
            Assert.True(ids.Add(record.Event.Id), $"{record.Event.Id} was written twice");
        }

        Assert.Equal(expected, ids.Count);
    }
}
