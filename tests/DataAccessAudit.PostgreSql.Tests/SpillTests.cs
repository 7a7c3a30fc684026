using System.Text;
using DataAccessAudit.PostgreSql.Writing;
using DataAccessAudit.Recording;
using DataAccessAudit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.PostgreSql.Tests;

// Spilling to a local file while the database is down, and replaying it. These stop the shared server, so they
// run with the other outage tests, alone.
[Collection(nameof(OutageTests))]
public sealed class SpillTests(PostgreSqlServer server) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("audit-spill-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string SpillPath(string instanceId) => Path.Combine(_directory, $"spill-{instanceId}.jsonl");

    [Fact]
    public async Task An_outage_spills_to_the_file_and_the_return_replays_each_record_once()
    {
        var db = await server.CreateDatabaseAsync();
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0));
        await using (var provider = Stories.Recorder(db, "web", clock: clock, options: o => o.SpillDirectory = _directory))
        {
            var auditor = provider.GetRequiredService<IAccessAuditor>();
            OutageTests.Record(auditor, Stories.Events(400, seed: 11, prefix: "before"));
            await auditor.FlushAsync(TestContext.Current.CancellationToken);
            Assert.False(File.Exists(SpillPath("web")));

            await server.StopAsync();
            try
            {
                // Without a spill directory this flush fails (the accesses wait in memory); with one they are durable.
                OutageTests.Record(auditor, Stories.Events(600, seed: 12, prefix: "during"));
                await auditor.FlushAsync(TestContext.Current.CancellationToken);
                Assert.True(new FileInfo(SpillPath("web")).Length > 600 * 300, "600 record lines of a few hundred bytes");
            }
            finally
            {
                await server.StartAsync();
            }

            clock.Advance(Duration.FromSeconds(2));
            OutageTests.Record(auditor, Stories.Events(300, seed: 13, prefix: "after"));
            await auditor.FlushAsync(TestContext.Current.CancellationToken);
            Assert.False(File.Exists(SpillPath("web")), "the spill file is deleted once replayed");
        }

        await OutageTests.AssertExactlyOnceAsync(db, 1300);
    }

    [Fact]
    public async Task A_spill_left_by_a_stopped_process_is_replayed_by_the_next_and_never_twice()
    {
        var db = await server.CreateDatabaseAsync();
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0));
        var ct = TestContext.Current.CancellationToken;
        using (var first = Stories.Sink(db, "web", clock, spillDirectory: _directory))
        {
            await first.WriteAsync(Stories.Decided(Stories.Events(100, seed: 21, prefix: "a")), ct);
            await server.StopAsync();
            try
            {
                await first.WriteAsync(Stories.Decided(Stories.Events(150, seed: 22, prefix: "b")), ct);
                await first.WriteGapAsync(7, clock.GetCurrentInstant(), ct);
                await first.WriteAsync(Stories.Decided(Stories.Events(50, seed: 23, prefix: "c")), ct);
            }
            finally
            {
                await server.StartAsync();
            }
        }

        // The process stopped mid-write: a torn line it never acknowledged ends the file.
        var spill = SpillPath("web");
        File.AppendAllText(spill, "{\"schema\":\"access-event/1\",\"id\":\"torn");
        var copy = File.ReadAllBytes(spill);

        using (var second = Stories.Sink(db, "web", clock, spillDirectory: _directory))
        {
            await second.WriteAsync(Stories.Decided(Stories.Events(20, seed: 24, prefix: "d")), ct);
            Assert.Null(second.SpillPath);
            Assert.Equal(321, second.LastSequence);
        }

        Assert.False(File.Exists(spill));

        // The file's deletion lost (a crash right after the replay committed): the next process skips every line.
        File.WriteAllBytes(spill, copy);
        using (var third = Stories.Sink(db, "web", clock, spillDirectory: _directory))
        {
            await third.WriteAsync(Stories.Decided(Stories.Events(10, seed: 25, prefix: "e")), ct);
            Assert.Equal(331, third.LastSequence);
        }

        Assert.False(File.Exists(spill));
        await using var store = new PostgreSqlAuditStore(db);
        var verification = await store.VerifyAsync(cancellationToken: ct);
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(7, verification.DroppedEvents);
        await OutageTests.AssertExactlyOnceAsync(db, 330);
    }

    [Fact]
    public async Task A_torn_last_line_is_kept_beside_the_spill_file_named_in_a_warning_and_the_complete_lines_replayed()
    {
        var db = await server.CreateDatabaseAsync();
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0));
        var ct = TestContext.Current.CancellationToken;
        using (var first = Stories.Sink(db, "web", clock, spillDirectory: _directory))
        {
            await first.WriteAsync(Stories.Decided(Stories.Events(5, seed: 91, prefix: "a")), ct);
            await server.StopAsync();
            try
            {
                await first.WriteAsync(Stories.Decided(Stories.Events(10, seed: 92, prefix: "b")), ct);
            }
            finally
            {
                await server.StartAsync();
            }
        }

        // The file is cut in the middle of its last line (a truncated copy, a disk that lost its last block).
        var spill = SpillPath("web");
        var bytes = File.ReadAllBytes(spill);
        var cut = bytes.AsSpan(0, bytes.Length - 40).ToArray();
        File.WriteAllBytes(spill, cut);
        var torn = cut.AsSpan(Array.LastIndexOf(cut, (byte)'\n') + 1).ToArray();

        var logger = new FakeLogger<PostgreSqlAccessEventSink>();
        using (var second = new PostgreSqlAccessEventSink(new PostgreSqlStoreOptions { ConnectionString = db, InstanceId = "web", SpillDirectory = _directory }, clock, logger))
        {
            await second.WriteAsync(Stories.Decided(Stories.Events(2, seed: 93, prefix: "c")), ct);
            Assert.Null(second.SpillPath);
            Assert.Equal(16, second.LastSequence);
        }

        var aside = spill + ".torn-20261130T120000Z";
        Assert.Equal(torn, File.ReadAllBytes(aside));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(aside));
        }

        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 4404);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(spill, warning.Message, StringComparison.Ordinal);
        Assert.Contains($"torn line of {torn.Length} bytes", warning.Message, StringComparison.Ordinal);
        Assert.Contains(aside, warning.Message, StringComparison.Ordinal);

        // The 14 complete records were replayed; the cut one is the torn bytes kept aside.
        Assert.False(File.Exists(spill));
        await OutageTests.AssertExactlyOnceAsync(db, 16);
    }

    [Fact]
    public async Task A_changed_spill_file_is_refused_and_nothing_of_it_is_written()
    {
        var db = await server.CreateDatabaseAsync();
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0));
        var ct = TestContext.Current.CancellationToken;
        using (var first = Stories.Sink(db, "web", clock, spillDirectory: _directory))
        {
            await first.WriteAsync(Stories.Decided(Stories.Events(10, seed: 31, prefix: "a")), ct);
            await server.StopAsync();
            try
            {
                await first.WriteAsync(Stories.Decided(Stories.Events(20, seed: 32, prefix: "b")), ct);
            }
            finally
            {
                await server.StartAsync();
            }
        }

        // Someone with access to the machine rewrites who read what while the database was down.
        var spill = SpillPath("web");
        var lines = File.ReadAllLines(spill, Encoding.UTF8);
        lines[4] = lines[4].Replace("\"emp-", "\"xmp-", StringComparison.Ordinal);
        File.WriteAllLines(spill, lines);

        using (var second = Stories.Sink(db, "web", clock, spillDirectory: _directory))
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
                await second.WriteAsync(Stories.Decided(Stories.Events(5, seed: 33, prefix: "c")), ct));
            Assert.Contains(spill, refused.Message, StringComparison.Ordinal);
            Assert.Contains("line 5 (sequence number 15) does not link to the record before it", refused.Message, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(spill), "the file is kept for inspection");
        await using var store = new PostgreSqlAuditStore(db);
        var verification = await store.VerifyAsync(cancellationToken: ct);
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(10, verification.Events);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_spill_file_and_the_directory_it_creates_are_readable_by_the_owner_only()
    {
        Assert.False(OperatingSystem.IsWindows(), "file modes are a Unix feature; CI runs on Linux");
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        var directory = Path.Combine(_directory, "spill");
        using var sink = Stories.Sink(db, "web", spillDirectory: directory);
        await sink.WriteAsync(Stories.Decided(Stories.Events(1, seed: 51, prefix: "a")), ct);
        await server.StopAsync();
        try
        {
            await sink.WriteAsync(Stories.Decided(Stories.Events(1, seed: 52, prefix: "b")), ct);
            Assert.NotNull(sink.SpillPath);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(sink.SpillPath));
        }
        finally
        {
            await server.StartAsync();
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void An_existing_spill_file_0644_in_a_directory_0755_is_tightened_to_0600_and_0700_and_each_change_named()
    {
        Assert.False(OperatingSystem.IsWindows(), "file modes are a Unix feature; CI runs on Linux");
        var directory = Path.Combine(_directory, "old");
        Directory.CreateDirectory(directory, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var spill = Path.Combine(directory, "spill-web.jsonl");
        File.WriteAllText(spill, string.Empty);
        File.SetUnixFileMode(spill, (UnixFileMode)0b110_100_100);

        using (var opened = SpillFile.OpenExisting(directory, "web", Instant.FromUtc(2026, 11, 30, 12, 0))!)
        {
            Assert.Equal([("directory", directory, "0755", "0700", (string?)null), ("file", spill, "0644", "0600", null)],
                opened.ModeChanges.Select(c => (c.Kind, c.Path, c.OldMode, c.NewMode, c.Refusal)));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(spill));

        // Once tightened, there is nothing more to say.
        using var again = SpillFile.OpenExisting(directory, "web", Instant.FromUtc(2026, 11, 30, 12, 0))!;
        Assert.Empty(again.ModeChanges);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_spill_directory_shared_with_other_files_is_left_as_it_is_with_the_reason_and_its_spill_file_tightened()
    {
        Assert.False(OperatingSystem.IsWindows(), "file modes are a Unix feature; CI runs on Linux");
        File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(_directory, "app.db"), "the app's own file");
        var spill = SpillPath("web");
        File.WriteAllText(spill, string.Empty);
        File.SetUnixFileMode(spill, (UnixFileMode)0b110_100_100);

        using var opened = SpillFile.OpenExisting(_directory, "web", Instant.FromUtc(2026, 11, 30, 12, 0))!;

        var left = Assert.Single(opened.ModeChanges, c => c.Kind == "directory");
        Assert.Equal("0755", left.OldMode);
        Assert.Contains("it holds other entries than spill files (such as 'app.db')", left.Refusal, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(_directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(spill));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_writer_warns_once_naming_each_spill_path_it_tightened_or_left_open_and_its_mode()
    {
        Assert.False(OperatingSystem.IsWindows(), "file modes are a Unix feature; CI runs on Linux");
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(_directory, "app.db"), "the app's own file");
        var spill = SpillPath("web");
        File.WriteAllText(spill, string.Empty);
        File.SetUnixFileMode(spill, (UnixFileMode)0b110_100_100);
        var logger = new FakeLogger<PostgreSqlAccessEventSink>();
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 30, 12, 0));
        using (var sink = new PostgreSqlAccessEventSink(new PostgreSqlStoreOptions { ConnectionString = db, InstanceId = "web", SpillDirectory = _directory }, clock, logger))
        {
            await sink.WriteAsync(Stories.Decided(Stories.Events(2, seed: 53, prefix: "a")), ct);

            // An outage later opens the directory again: it is not reported twice.
            await server.StopAsync();
            try
            {
                await sink.WriteAsync(Stories.Decided(Stories.Events(2, seed: 54, prefix: "b")), ct);
                Assert.NotNull(sink.SpillPath);
            }
            finally
            {
                await server.StartAsync();
            }
        }

        var logs = logger.Collector.GetSnapshot();
        var tightened = Assert.Single(logs, r => r.Id.Id == 4406);
        Assert.Equal(LogLevel.Warning, tightened.Level);
        Assert.Contains($"The spill file {spill} had mode 0644", tightened.Message, StringComparison.Ordinal);
        Assert.Contains("tightened to 0600", tightened.Message, StringComparison.Ordinal);
        var left = Assert.Single(logs, r => r.Id.Id == 4407);
        Assert.Equal(LogLevel.Warning, left.Level);
        Assert.Contains($"The spill directory {_directory} has mode 0755", left.Message, StringComparison.Ordinal);
        Assert.Contains("such as 'app.db'", left.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spill_file_held_by_a_process_is_refused_to_another()
    {
        var db = await server.CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        using var held = File.Open(SpillPath("web"), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        using var sink = Stories.Sink(db, "web", spillDirectory: _directory);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await sink.WriteAsync(Stories.Decided(Stories.Events(1, seed: 41)), ct));
        Assert.Contains("is held by another process", refused.Message, StringComparison.Ordinal);
    }
}
