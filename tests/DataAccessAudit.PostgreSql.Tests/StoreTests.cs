using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.PostgreSql.Schema;
using DataAccessAudit.Testing;
using Npgsql;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.PostgreSql.Tests;

public sealed class StoreTests(PostgreSqlServer server)
{
    [Fact]
    public async Task Recorded_accesses_land_in_the_database_chained_per_instance_and_verify()
    {
        var db = await server.CreateDatabaseAsync();
        var events = Stories.Events(500, seed: 1);
        await Stories.RecordAsync(db, "web-1", events);

        await using var store = new PostgreSqlAuditStore(db);
        var verification = await store.VerifyAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact, verification.ToString());
        var instance = Assert.Single(verification.Instances);
        Assert.Equal("web-1", instance.InstanceId);
        Assert.Equal(500, instance.Events);
        Assert.Equal(500, instance.LastSequence);

        var read = new List<AccessRecord>();
        await foreach (var record in store.ReadAsync(_ => Assert.Fail("no problem expected"), TestContext.Current.CancellationToken))
        {
            read.Add(record);
        }

        Assert.Equal(events.Select(e => e.Id), read.Select(r => r.Event.Id));
        Assert.All(read, r => Assert.NotNull(r.Decision));
        Assert.Equal(AccessPolicy.ProjectTexas.Evaluate(events[7]), read[7].Decision);
    }

    [Fact]
    public async Task An_access_too_large_for_a_record_is_stored_as_a_gap_of_one_and_the_rest_verify()
    {
        var db = await server.CreateDatabaseAsync();
        var events = Stories.Events(3, seed: 4).ToList();
        events[1] = new AccessEvent(events[1].Id, events[1].Time, events[1].Requester, events[1].Resource, "export")
        {
            SubjectKeys = [.. Enumerable.Range(0, 700_000).Select(i => $"subject-key-{i:D12}")],
        };
        using (var sink = Stories.Sink(db, "web-1"))
        {
            await sink.WriteAsync(Stories.Decided(events), TestContext.Current.CancellationToken);

            // Counted as dropped, so that the recording queue's counters and health check report it.
            Assert.Equal(1, sink.TooLargeCount);
        }

        await using var store = new PostgreSqlAuditStore(db);
        var verification = await store.VerifyAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact, verification.ToString());
        var instance = Assert.Single(verification.Instances);
        Assert.Equal(2, instance.Events);
        Assert.Equal(1, instance.DroppedEvents);
        var read = new List<AccessRecord>();
        await foreach (var record in store.ReadAsync(_ => Assert.Fail("no problem expected"), TestContext.Current.CancellationToken))
        {
            read.Add(record);
        }

        Assert.Equal([events[0].Id, events[2].Id], read.Select(r => r.Event.Id));
    }

    [Fact]
    public async Task A_retry_after_an_unknown_commit_outcome_writes_nothing_twice()
    {
        var db = await server.CreateDatabaseAsync();
        var batch = Stories.Decided(Stories.Events(20, seed: 2));
        using (var sink = Stories.Sink(db, "a"))
        {
            // The commit reaches the database, but its acknowledgement is lost: the write fails.
            sink.AfterCommit = () => throw new TimeoutException("acknowledgement lost");
            await Assert.ThrowsAnyAsync<IOException>(async () => await sink.WriteAsync(batch, TestContext.Current.CancellationToken));
            Assert.Equal(0, sink.LastSequence);

            // The pipeline retries the same batch: the sink finds it committed and writes nothing again.
            sink.AfterCommit = null;
            await sink.WriteAsync(batch, TestContext.Current.CancellationToken);
            Assert.Equal(20, sink.LastSequence);
        }

        // A restarted process continues the chain from the head the database holds.
        using (var sink = Stories.Sink(db, "a"))
        {
            await sink.WriteAsync(Stories.Decided(Stories.Events(5, seed: 3)), TestContext.Current.CancellationToken);
            Assert.Equal(25, sink.LastSequence);
        }

        await using var store = new PostgreSqlAuditStore(db);
        var verification = await store.VerifyAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(25, verification.Events);
    }

    [Fact]
    public async Task A_second_process_with_the_same_instance_id_is_refused_with_a_clear_error()
    {
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        using var first = Stories.Sink(db, "same");
        await first.WriteAsync(Stories.Decided(Stories.Events(3, seed: 4)), ct);

        // A second process (its own connections) starting under the same instance id is refused before it writes.
        using (var second = Stories.Sink(db, "same"))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await second.WriteAsync(Stories.Decided(Stories.Events(1, seed: 5)), ct));
            Assert.Contains("'same' is being written by another process", error.Message, StringComparison.Ordinal);
            Assert.Contains("InstanceId", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, second.LastSequence);

            // The first goes on writing; the second stays refused while it does.
            await first.WriteAsync(Stories.Decided(Stories.Events(2, seed: 6)), ct);
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await second.WriteAsync(Stories.Decided(Stories.Events(1, seed: 5)), ct));
        }

        await first.WriteAsync(Stories.Decided(Stories.Events(2, seed: 7)), ct);
        Assert.Equal(7, first.LastSequence);
        first.Dispose();

        // Once the first has stopped, a new process under that id continues its chain.
        using (var next = Stories.Sink(db, "same"))
        {
            await next.WriteAsync(Stories.Decided(Stories.Events(1, seed: 8)), ct);
            Assert.Equal(8, next.LastSequence);
        }

        await using var store = new PostgreSqlAuditStore(db);
        var verification = await store.VerifyAsync(cancellationToken: ct);
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(8, verification.Events);
    }

    [Fact]
    public async Task A_writer_with_another_key_under_the_instance_key_id_is_refused_before_it_writes()
    {
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        var key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var replaced = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
        using (var first = Stories.Sink(db, "web-1", keyId: "k1", key: key))
        {
            await first.WriteAsync(Stories.Decided(Stories.Events(5, seed: 51)), ct);
        }

        using (var other = Stories.Sink(db, "web-1", keyId: "k1", key: replaced))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await other.WriteAsync(Stories.Decided(Stories.Events(2, seed: 52)), ct));
            Assert.Contains("instance 'web-1' is chained with key id 'k1'", error.Message, StringComparison.Ordinal);
            Assert.Contains("this process's key for 'k1' does not reproduce its last record's link (sequence number 5): the key was replaced, or that record was changed", error.Message, StringComparison.Ordinal);
        }

        // The instance's own key still continues it.
        using (var again = Stories.Sink(db, "web-1", keyId: "k1", key: key))
        {
            await again.WriteAsync(Stories.Decided(Stories.Events(2, seed: 53)), ct);
        }

        await using var store = new PostgreSqlAuditStore(db);
        var verification = await store.VerifyAsync(new Dictionary<string, byte[]> { ["k1"] = Convert.FromBase64String(key) }, cancellationToken: ct);
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(7, verification.Events);
    }

    [Fact]
    public async Task Records_go_to_monthly_partitions_by_the_time_they_were_written()
    {
        var db = await server.CreateDatabaseAsync();
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 31, 23, 59, 59));
        using (var sink = Stories.Sink(db, "p", clock))
        {
            await sink.WriteAsync(Stories.Decided(Stories.Events(3, seed: 7)), TestContext.Current.CancellationToken);
            clock.Advance(Duration.FromSeconds(2));
            await sink.WriteAsync(Stories.Decided(Stories.Events(4, seed: 8)), TestContext.Current.CancellationToken);
        }

        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT tableoid::regclass::text, count(*) FROM data_access_audit.records GROUP BY 1 ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var partitions = new List<(string, long)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            partitions.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        Assert.Equal([("data_access_audit.records_y2026m01", 3L), ("data_access_audit.records_y2026m02", 4L)], partitions);
    }

    [Fact]
    public async Task A_database_with_a_newer_schema_is_a_clear_error_and_nothing_is_written()
    {
        var db = await server.CreateDatabaseAsync();
        await using (var store = new PostgreSqlAuditStore(db))
        {
            await store.MigrateAsync(TestContext.Current.CancellationToken);
        }

        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand($"UPDATE data_access_audit.schema_version SET version = {StoreSchema.CurrentVersion + 1}", connection);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var sink = Stories.Sink(db, "old");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await sink.WriteAsync(Stories.Decided(Stories.Events(1, seed: 1)), TestContext.Current.CancellationToken));
        Assert.Contains($"schema version {StoreSchema.CurrentVersion + 1}, newer than version {StoreSchema.CurrentVersion}", error.Message, StringComparison.Ordinal);

        await using var reader = new PostgreSqlAuditStore(db);
        var readError = await Assert.ThrowsAsync<InvalidOperationException>(() => reader.VerifyAsync(cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("newer than version", readError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_named_by_host_port_and_database_never_by_its_password()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var sink = Stories.Sink($"Host=127.0.0.1;Port={port};Database=audit;Username=audit;Password=s3cret-pw;Timeout=5", "web-1");

        var error = await Assert.ThrowsAnyAsync<IOException>(async () => await sink.WriteAsync(Stories.Decided(Stories.Events(1, seed: 1)), TestContext.Current.CancellationToken));

        Assert.StartsWith($"The audit store in PostgreSQL at 127.0.0.1:{port}/audit cannot be reached (", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_holding_an_apps_table_of_the_stores_name_is_a_clear_error_and_the_table_stays()
    {
        var db = await server.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("CREATE SCHEMA data_access_audit; CREATE TABLE data_access_audit.instances (name text); INSERT INTO data_access_audit.instances VALUES ('app row')", connection);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var sink = Stories.Sink(db, "web-1");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await sink.WriteAsync(Stories.Decided(Stories.Events(1, seed: 1)), TestContext.Current.CancellationToken));

        Assert.StartsWith("The audit store cannot be created in schema \"data_access_audit\": the schema already holds a table the store did not create (relation \"instances\" already exists). Give the store a schema of its own", error.Message, StringComparison.Ordinal);
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var read = new NpgsqlCommand("SELECT name FROM data_access_audit.instances", connection);
            Assert.Equal("app row", await read.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Reading_a_database_without_a_store_says_so()
    {
        var db = await server.CreateDatabaseAsync();
        await using var store = new PostgreSqlAuditStore(db);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.VerifyAsync(cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("holds no audit store in schema \"data_access_audit\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eight_writer_instances_at_once_lose_nothing_and_every_chain_is_intact()
    {
        var db = await server.CreateDatabaseAsync();
        const int PerInstance = 2_000;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Stories.RecordAsync(db, $"node-{i}", Stories.Events(PerInstance, seed: 100 + i, prefix: $"n{i}")), TestContext.Current.CancellationToken)));

        await using var store = new PostgreSqlAuditStore(db);
        var verification = await store.VerifyAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"node-{i}"), verification.Instances.Select(i => i.InstanceId));
        Assert.All(verification.Instances, i => Assert.Equal(PerInstance, i.Events));

        var ids = new HashSet<string>();
        await foreach (var record in store.ReadAsync(_ => { }, TestContext.Current.CancellationToken))
        {
            Assert.True(ids.Add(record.Event.Id), $"{record.Event.Id} twice");
        }

        Assert.Equal(8 * PerInstance, ids.Count);
    }
}
