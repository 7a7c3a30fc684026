using DataAccessAudit.Classification;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Events;
using DataAccessAudit.Log;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using DataAccessAudit.Reporting.Formats;
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
        Assert.Equal(3, report.Totals.Counts.Events);
        Assert.Equal(3, report.Totals.Counts.Flagged);
        Assert.Equal(0, report.InputProblemCount);
    }

    // An access whose line would pass 16 MiB is recorded as a gap of one: the report says so, not that a queue was full.
    [Fact]
    public async Task Read_LogWithAnAccessTooLargeToRecord_EveryFormatSaysOneAccessWasTooLarge()
    {
        var services = new ServiceCollection()
            .AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2021, 9, 14, 7, 0)))
            .AddDataAccessAudit(audit => audit
                .AddFileLog(log =>
                {
                    log.Directory = _directory;
                    log.KeyId = KeyId;
                    log.Key = Convert.ToBase64String(Key);
                })
                .ConfigureRecording(o => o.Durability = RecordingDurability.Synchronous))
            .BuildServiceProvider();
        await using (services)
        {
            var auditor = services.GetRequiredService<IAccessAuditor>();
            var requester = new Requester("emp-4411", Region.Parse("CN"));
            auditor.Record(requester, new AccessedResource("user/0/messages", Taxonomy.Protected, Region.Parse("US")), "read");
            auditor.Record(requester, new AccessedResource(new string('x', 16_800_000), Taxonomy.Protected, Region.Parse("US")), "read");
        }

        var builder = new AccessReportBuilder(new AccessReportOptions());
        var integrity = FileLogReportReader.Read(_directory, new Dictionary<string, byte[]> { [KeyId] = Key }, builder, cancellationToken: TestContext.Current.CancellationToken);
        var report = builder.Build(integrity);
        var markdown = new StringWriter();
        AccessReportMarkdownWriter.Write(markdown, report);
        var html = new StringWriter();
        AccessReportHtmlWriter.Write(html, report);
        using var json = System.Text.Json.JsonDocument.Parse(AccessReportJsonWriter.Format(report));
        const string Expected = "gap: 1 access was too large to record (over 16 MiB as one line) and was recorded as this gap instead, at 2021-09-14T07:00:00Z";

        Assert.Equal(IntegrityStatus.Verified, integrity.Status);
        Assert.Equal(Expected, Assert.Single(integrity.Problems).Message);
        Assert.Contains(Expected, markdown.ToString().Replace("\\", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal); // Markdown escapes the parentheses
        Assert.Contains(Expected, html.ToString(), StringComparison.Ordinal);
        Assert.Equal(Expected, json.RootElement.GetProperty("integrity").GetProperty("problems")[0].GetProperty("message").GetString());
    }

    // Deleting the last lines leaves a chain that links to its end: the report must not say that no event is missing.
    [Fact]
    public async Task Read_KeyedLogWhoseLastLinesWereDeleted_IsVerifiedButDoesNotClaimNoEventIsMissing()
    {
        await RecordAsync(3);
        var segment = Directory.GetFiles(_directory, "segment-*.jsonl").Single();
        File.WriteAllLines(segment, File.ReadAllLines(segment)[..^2]);
        var builder = new AccessReportBuilder(new AccessReportOptions());

        var integrity = FileLogReportReader.Read(_directory, new Dictionary<string, byte[]> { [KeyId] = Key }, builder, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntegrityStatus.Verified, integrity.Status);
        Assert.Equal(1, builder.Build(integrity).Totals.Counts.Events);
        Assert.DoesNotContain("no event is missing", integrity.Summary, StringComparison.Ordinal);
        Assert.Contains("up to the last one read", integrity.Summary, StringComparison.Ordinal);
        Assert.Contains("Events cut off the end are detected only against a state kept earlier: a signed checkpoint of a file log (access-report verify --public-key)", integrity.Summary, StringComparison.Ordinal);
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
        Assert.Equal(2, builder.Build(integrity).Totals.Counts.Events);
    }

    [Fact]
    public async Task Read_UnkeyedLog_IsVerifiedUnkeyedSayingItDetectsAccidentsNotAnEditor()
    {
        await RecordAsync(2, keyed: false);
        var builder = new AccessReportBuilder(new AccessReportOptions());

        var integrity = FileLogReportReader.Read(_directory, keys: null, builder, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntegrityStatus.VerifiedUnkeyed, integrity.Status);
        Assert.Equal("verified-unkeyed", integrity.StatusName);
        Assert.StartsWith("Chain intact, but unkeyed: it detects accidents, not an editor.", integrity.Summary, StringComparison.Ordinal);
        var problem = Assert.Single(integrity.Problems);
        Assert.StartsWith("verified-unkeyed: chain intact, but unkeyed: it detects accidents, not an editor", problem.Message, StringComparison.Ordinal);
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
        Assert.Equal(3, builder.Build(integrity).Totals.Counts.Events);
    }

    [Fact]
    public async Task Read_ManySegmentsOnSeveralWorkers_GivesSameReportAndProblemsAsSequentialParse()
    {
        await RecordVariedAsync(30_000);
        var segments = Directory.GetFiles(_directory, "segment-*.jsonl").Order(StringComparer.Ordinal).ToArray();
        Assert.True(segments.Length > 10, $"expected many segments, got {segments.Length}");

        // An event line made unparseable in the middle of the log: a chain break and an input problem, both at that line.
        var lines = File.ReadAllLines(segments[5]);
        lines[7] = lines[7].Replace("\"action\":\"read\"", "\"action\":7", StringComparison.Ordinal);
        File.WriteAllText(segments[5], string.Join('\n', lines) + "\n");
        var keys = new Dictionary<string, byte[]> { [KeyId] = Key };
        var options = new AccessReportOptions();

        var parallel = new AccessReportBuilder(options);
        var integrity = FileLogReportReader.Read(_directory, keys, parallel, maxDegreeOfParallelism: 3, cancellationToken: TestContext.Current.CancellationToken);
        var sequential = new AccessReportBuilder(options);
        var reader = new FileLogReader(_directory, keys);
        sequential.AddRange(reader.Read(sequential.AddProblem));

        Assert.Equal(IntegrityStatus.Broken, integrity.Status);
        Assert.Equal(reader.IntegrityProblems, integrity.Problems);
        Assert.Equal(8, integrity.Problems[0].Line);
        var report = parallel.Build(integrity);
        var problem = Assert.Single(report.InputProblems);
        Assert.Equal((segments[5], 8L), (problem.Source, problem.Line));
        Assert.Equal(29_999, report.Totals.Counts.Events);
        Assert.Equal(AccessReportJsonWriter.Format(sequential.Build(integrity)), AccessReportJsonWriter.Format(report));
    }

    [Fact]
    public async Task Read_LogAndTheSameLinesAsAPlainFile_GiveTheSameBulkThresholdsSection()
    {
        // Fourteen months of accesses to US people's sensitive data from China and by a covered organization, with
        // subject keys, without them (upper bounds), and combined kinds, over several segments.
        var services = SegmentedLogServices(Instant.FromUtc(2021, 5, 1, 0, 0), Duration.FromMinutes(100));
        await using (services)
        {
            var auditor = services.GetRequiredService<IAccessAuditor>();
            string[] types = ["contact-info", "payment-info", "precise-location", "genome", "health-record", "direct-message"];
            for (var i = 0; i < 6_000; i++)
            {
                var requester = new Requester($"emp-{i % 23}", Region.Parse(i % 4 == 0 ? "US" : i % 4 == 1 ? "SG" : "CN")) { Organization = i % 4 == 1 ? "ByteDance" : "Example" };
                var resource = new AccessedResource($"user/{i % 700}/{types[i % types.Length]}", Taxonomy.Protected, Region.Parse("US")) { Type = types[i % types.Length] };
                var details = i % 9 == 0
                    ? new AccessDetails { Subjects = 1 + (i % 40) }
                    : new AccessDetails { SubjectKeys = [.. Enumerable.Range(i % 5_000, 1 + (i % 3)).Select(k => $"key-{k}")] };
                auditor.Record(requester, resource, "read", details);
            }

            await auditor.FlushAsync(TestContext.Current.CancellationToken);
        }

        var plain = Path.Combine(_directory, "plain.jsonl");
        File.WriteAllLines(plain, Directory.GetFiles(_directory, "segment-*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Where(line => !line.Contains("\"type\":\"segment\"", StringComparison.Ordinal)));
        var policy = DataAccessAudit.Policy.AccessPolicy.ProjectTexas.WithBulkData(DataAccessAudit.BulkData.BulkDataPolicy.DataSecurityProgram.WithCoveredOrganizations(["ByteDance"]));
        var options = new AccessReportOptions
        {
            Policy = policy,
            Period = ReportPeriod.Create(new LocalDate(2022, 1, 1), new LocalDate(2022, 5, 31), DateTimeZoneProviders.Tzdb["Asia/Shanghai"]),
        };

        var fromLog = new AccessReportBuilder(options);
        var integrity = FileLogReportReader.Read(_directory, new Dictionary<string, byte[]> { [KeyId] = Key }, fromLog, maxDegreeOfParallelism: 2, cancellationToken: TestContext.Current.CancellationToken);
        var fromFile = new AccessReportBuilder(options);
        JsonLinesReportReader.Read([plain], fromFile, maxDegreeOfParallelism: 3, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntegrityStatus.Verified, integrity.Status);
        var logReport = fromLog.Build(integrity);
        var fileReport = fromFile.Build(ReportIntegrity.Unverified);
        Assert.Contains(logReport.BulkThresholds, r => r.Basis == BulkCountBasis.UpperBound && r.Counterparty is not null);
        Assert.Contains(logReport.BulkThresholds, r => r.Counterparty is { IsOrganization: true } && r.DistinctPersons > 0);
        Assert.Contains(logReport.BulkThresholds, r => r.CombinedWith.Count > 0);
        Assert.Equal(BulkSection(fileReport), BulkSection(logReport));
        Assert.Equal(fileReport.Totals, logReport.Totals);
    }

    private static string BulkSection(AccessReport report)
    {
        using var json = System.Text.Json.JsonDocument.Parse(AccessReportJsonWriter.Format(report));
        return json.RootElement.GetProperty("bulkThresholds").GetRawText();
    }

    // A keyed log of 256 KiB segments, written by an auditor whose clock starts at start and moves on by step at each
    // reading.
    private ServiceProvider SegmentedLogServices(Instant start, Duration step) => new ServiceCollection()
        .AddSingleton<IClock>(new FakeClock(start) { AutoAdvance = step })
        .AddDataAccessAudit(audit => audit.AddFileLog(log =>
        {
            log.Directory = _directory;
            log.KeyId = KeyId;
            log.Key = Convert.ToBase64String(Key);
            log.MaxSegmentSize = 256 * 1024;
        }))
        .BuildServiceProvider();

    private async Task RecordVariedAsync(int count)
    {
        var services = SegmentedLogServices(Instant.FromUtc(2021, 9, 1, 0, 0), Duration.FromMinutes(1));
        await using (services)
        {
            var auditor = services.GetRequiredService<IAccessAuditor>();
            DataCategory[] categories = [Taxonomy.Protected, Taxonomy.Public, Taxonomy.Interoperability];
            string[] regions = ["CN", "US", "SG", "IE"];
            for (var i = 0; i < count; i++)
            {
                var requester = new Requester($"emp-{i % 97}", Region.Parse(regions[i % 3]));
                var resource = new AccessedResource($"user/{i % 1_000}/messages", categories[i % 3], Region.Parse(regions[(i / 3) % 4]));
                auditor.Record(requester, resource, i % 11 == 0 ? "export" : "read", new AccessDetails { Approval = i % 13 == 0 ? new Approval($"appr-{i % 5}") : null, Purpose = i % 7 == 0 ? "support" : null, Subjects = 1 + (i % 4) });
                if (i % 1_000 == 999)
                {
                    await auditor.FlushAsync(TestContext.Current.CancellationToken);
                }
            }

            await auditor.FlushAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Read_LogHoldingFewerRecordsThanItsCheckpoint_IsBroken_SayingRecordsWereCutFromItsEnd()
    {
        await RecordAsync(4);
        Transparency.FileLogTree.Checkpoint(_directory, Transparency.NoteSigningKey.Generate("audit.example.com/report"));
        var segment = Directory.GetFiles(_directory, "segment-*.jsonl").Order(StringComparer.Ordinal).Last();
        var lines = File.ReadAllLines(segment);
        File.WriteAllLines(segment, lines[..^1]);   // the last signed record deleted: the chain before it still holds

        var integrity = FileLogReportReader.Read(_directory, new Dictionary<string, byte[]> { [KeyId] = Key }, new AccessReportBuilder(new AccessReportOptions()), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IntegrityStatus.Broken, integrity.Status);
        Assert.Contains(integrity.Problems, p => p.Message == "cut: the log holds 3 records but its checkpoint covers 4: records were cut from its end");
        Assert.Equal(4, integrity.Checkpoint!.TreeSize);
        Assert.Equal(3, integrity.Log!.LastSequence);
    }

    [Fact]
    public async Task Read_LogWithASignedCheckpoint_TheReportCitesItInJsonAndHtml()
    {
        await RecordAsync(4);
        var key = Transparency.NoteSigningKey.Generate("audit.example.com/report");
        var note = Transparency.FileLogTree.Checkpoint(_directory, key);
        var builder = new AccessReportBuilder(new AccessReportOptions());

        var integrity = FileLogReportReader.Read(_directory, new Dictionary<string, byte[]> { [KeyId] = Key }, builder, cancellationToken: TestContext.Current.CancellationToken);

        var checkpoint = Transparency.Checkpoint.Parse(note.Text);
        Assert.Equal(checkpoint, integrity.Checkpoint);
        Assert.Equal(["audit.example.com/report"], integrity.CheckpointSigners);
        var report = builder.Build(integrity);
        using var json = System.Text.Json.JsonDocument.Parse(AccessReportJsonWriter.Format(report));
        var cited = json.RootElement.GetProperty("integrity").GetProperty("checkpoint");
        Assert.Equal("audit.example.com/report", cited.GetProperty("origin").GetString());
        Assert.Equal(4, cited.GetProperty("treeSize").GetInt64());
        Assert.Equal(Convert.ToBase64String(checkpoint.RootHash), cited.GetProperty("rootHash").GetString());
        Assert.Equal("audit.example.com/report", cited.GetProperty("signers")[0].GetString());
        using var html = new StringWriter();
        AccessReportHtmlWriter.Write(html, report);
        Assert.Contains(Convert.ToBase64String(checkpoint.RootHash), html.ToString(), StringComparison.Ordinal);

        // Without a tree the report has no checkpoint member.
        Directory.Delete(Path.Combine(_directory, "tree"), recursive: true);
        var plain = FileLogReportReader.Read(_directory, new Dictionary<string, byte[]> { [KeyId] = Key }, new AccessReportBuilder(new AccessReportOptions()), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Null(plain.Checkpoint);
    }

    // An app whose policy is my-app/1 records three accesses; after a restart under Project Texas, two more. The report
    // (with its default policy, Project Texas) keeps every recorded decision, and says so.
    [Fact]
    public async Task Read_LogDecidedByTheAppsPolicies_SaysWhichDecidedTheEvents_AsTheFullParserDoes()
    {
        var options = Policy.AccessPolicyOptions.FromPolicy(Policy.AccessPolicy.ProjectTexas);
        options.Name = "my-app";
        options.Version = "1";
        await RecordAsync(3, policy: options.ToPolicy());
        await RecordAsync(2);
        var keys = new Dictionary<string, byte[]> { [KeyId] = Key };

        var parallel = new AccessReportBuilder(new AccessReportOptions());
        var integrity = FileLogReportReader.Read(_directory, keys, parallel, maxDegreeOfParallelism: 2, cancellationToken: TestContext.Current.CancellationToken);
        var sequential = new AccessReportBuilder(parallel.Options);
        sequential.AddRange(new FileLogReader(_directory, keys).Read(sequential.AddProblem));

        var report = parallel.Build(integrity);
        Assert.Equal([new RecordedPolicyCount("my-app/1", 3), new RecordedPolicyCount("project-texas/1", 2)], report.DecidedBy!.Recorded);
        Assert.Equal(0, report.DecidedBy.Evaluated);
        Assert.Equal("my-app/1 (3 events, recorded); project-texas/1 (2 events, recorded); project-texas/1 evaluated none", ReportFigures.DecidedBy(report));
        Assert.Equal(AccessReportJsonWriter.Format(sequential.Build(integrity)), AccessReportJsonWriter.Format(report));
    }

    private async Task RecordAsync(int count, bool keyed = true, Policy.AccessPolicy? policy = null)
    {
        var services = new ServiceCollection()
            .AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2021, 9, 14, 7, 0)))
            .AddDataAccessAudit(audit =>
            {
                audit.AddFileLog(log =>
                {
                    log.Directory = _directory;
                    log.KeyId = keyed ? KeyId : null;
                    log.Key = keyed ? Convert.ToBase64String(Key) : null;
                });
                if (policy is not null)
                {
                    audit.UsePolicy(policy);
                }
            })
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
