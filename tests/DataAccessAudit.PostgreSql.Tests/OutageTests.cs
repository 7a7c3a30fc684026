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

                // The writer's connection and its writer lock's session.
                Assert.Equal(2L, await kill.ExecuteScalarAsync(TestContext.Current.CancellationToken));
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

    [Fact]
    public async Task After_a_restart_the_writer_takes_its_lock_again_and_a_second_process_stays_refused()
    {
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        using var first = Stories.Sink(db, "web");
        await first.WriteAsync(Stories.Decided(Stories.Events(10, seed: 61, prefix: "a")), ct);
        await server.StopAsync();
        await server.StartAsync();

        // The restart ended the lock's session: the writer takes the lock again before it writes on.
        var batch = Stories.Decided(Stories.Events(10, seed: 62, prefix: "b"));
        await WriteThroughOutageAsync(first, batch);
        Assert.Equal(20, first.LastSequence);

        using var second = Stories.Sink(db, "web");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await second.WriteAsync(Stories.Decided(Stories.Events(1, seed: 63, prefix: "c")), ct));
        Assert.Contains("'web' is being written by another process", refused.Message, StringComparison.Ordinal);

        await first.WriteAsync(Stories.Decided(Stories.Events(5, seed: 64, prefix: "d")), ct);
        await AssertExactlyOnceAsync(db, 25);
    }

    [Fact]
    public async Task A_process_that_takes_the_lock_during_a_restart_stops_the_writer_before_it_forks_the_chain()
    {
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        using var first = Stories.Sink(db, "web");
        await first.WriteAsync(Stories.Decided(Stories.Events(10, seed: 71, prefix: "a")), ct);
        await server.StopAsync();
        await server.StartAsync();

        // Another process under the same id reaches the restarted database first, takes the lock and writes.
        using var second = Stories.Sink(db, "web");
        await second.WriteAsync(Stories.Decided(Stories.Events(3, seed: 72, prefix: "b")), ct);
        Assert.Equal(13, second.LastSequence);

        var batch = Stories.Decided(Stories.Events(5, seed: 73, prefix: "c"));
        var stopped = await Assert.ThrowsAsync<InvalidOperationException>(() => WriteThroughOutageAsync(first, batch));
        Assert.Contains("'web' is now written by another process", stopped.Message, StringComparison.Ordinal);
        Assert.Contains("stops writing under 'web' rather than fork its chain", stopped.Message, StringComparison.Ordinal);
        await AssertExactlyOnceAsync(db, 13);
    }

    [Fact]
    public async Task A_writer_whose_lock_session_alone_was_cut_is_stopped_by_the_head_check()
    {
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        using var first = Stories.Sink(db, "web");
        await first.WriteAsync(Stories.Decided(Stories.Events(10, seed: 81, prefix: "a")), ct);

        // Only the lock's session ends; the writer's own connection lives on and does not learn of it.
        Assert.Equal(1L, await Stories.EndSessionsAsync(db, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));

        using var second = Stories.Sink(db, "web");
        await second.WriteAsync(Stories.Decided(Stories.Events(3, seed: 82, prefix: "b")), ct);

        var stopped = await Assert.ThrowsAsync<InvalidOperationException>(async () => await first.WriteAsync(Stories.Decided(Stories.Events(5, seed: 83, prefix: "c")), ct));
        Assert.Contains("'web' was written by another process", stopped.Message, StringComparison.Ordinal);
        await AssertExactlyOnceAsync(db, 13);
    }

    // Writes a batch as the pipeline does after a restart: the first attempt may find the connection dead (the batch
    // stays queued) and the retry writes it.
    private static async Task WriteThroughOutageAsync(PostgreSql.Writing.PostgreSqlAccessEventSink sink, Policy.AccessRecord[] batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sink.WriteAsync(batch, TestContext.Current.CancellationToken);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
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
    internal static async Task FlushUntilDurableAsync(IAccessAuditor auditor)
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
