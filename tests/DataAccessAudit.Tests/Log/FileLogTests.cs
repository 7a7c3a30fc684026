using DataAccessAudit.Log;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

public sealed class FileLogTests : IDisposable
{
    private readonly string _directory = LogFixture.NewDirectory();

    [Fact]
    public void Reader_WrittenLog_YieldsTheEventsWithTheirDecisionsInOrder()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), 25, batchSize: 7);
        var problems = new List<DataAccessAudit.Interchange.InputProblem>();
        var reader = new FileLogReader(_directory, LogFixture.Keys);

        var records = reader.Read(problems.Add).ToList();

        Assert.Empty(problems);
        Assert.Empty(reader.IntegrityProblems);
        Assert.True(reader.Verification!.IsIntact);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"e-{i}"), records.Select(r => r.Event.Id));
        Assert.Equal(LogFixture.Record(3).Decision, records[3].Decision);
    }

    [Fact]
    public void ReadEventLines_ManySegments_HandsEachEventLineWithItsSegmentAndLineAndVerifies()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory, configure: o => o.MaxSegmentSize = FileLogOptions.MinSegmentSize), 60, batchSize: 5);
        var reader = new FileLogReader(_directory, LogFixture.Keys);
        var lines = new List<(string Segment, long Line, string Text)>();

        reader.ReadEventLines((line, segment, number, _) => lines.Add((segment, number, System.Text.Encoding.UTF8.GetString(line))), TestContext.Current.CancellationToken);

        Assert.True(reader.Verification!.IsIntact);
        Assert.Empty(reader.IntegrityProblems);
        Assert.True(lines.Select(l => l.Segment).Distinct().Count() > 1);
        Assert.All(lines, l => Assert.Equal(l.Text, File.ReadLines(l.Segment).ElementAt((int)l.Line - 1)));
        var problems = new List<DataAccessAudit.Interchange.InputProblem>();
        var parsed = lines.Select(l => DataAccessAudit.Interchange.AccessEventReader.TryParseLine(System.Text.Encoding.UTF8.GetBytes(l.Text), l.Segment, l.Line, problems.Add, out var record) ? record.Event.Id : null);
        Assert.Equal(reader.Read(problems.Add).Select(r => r.Event.Id), parsed);
        Assert.Empty(problems);
    }

    [Fact]
    public void EventLines_AreAccessEventObjects_ThatAPlainReaderReads()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), 5);
        var problems = new List<DataAccessAudit.Interchange.InputProblem>();

        var records = DataAccessAudit.Interchange.AccessEventReader.ReadFileAsync(LogFixture.OnlySegment(_directory), problems.Add, TestContext.Current.CancellationToken).ToBlockingEnumerable(TestContext.Current.CancellationToken).ToList();

        Assert.Equal(5, records.Count);
        Assert.Single(problems); // the segment header, which is not an event
        Assert.Equal(1, problems[0].Line);
    }

    [Theory]
    [InlineData(3)] // written line by line
    [InlineData(700)] // serialised on two threads by the pipeline
    public async Task Write_AnAccessTooLargeForALine_IsRecordedAsAGapOfOne_AndEveryOtherAccessStaysReadable(int batchSize)
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<FileLog>();
        var huge = LogFixture.Record(1) with { Event = LargeEvent("e-huge", LogFixture.Start + Duration.FromMinutes(5)) };
        var batch = Enumerable.Range(0, batchSize).Select(i => i == 1 ? huge : LogFixture.Record(i)).ToArray();
        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start), logger))
        {
            await log.WriteAsync(batch, TestContext.Current.CancellationToken);
            await log.FlushAsync(TestContext.Current.CancellationToken);
        }

        var reader = new FileLogReader(_directory, LogFixture.Keys);
        var problems = new List<DataAccessAudit.Interchange.InputProblem>();
        var ids = reader.Read(problems.Add).Select(r => r.Event.Id).ToList();

        Assert.Empty(problems);
        Assert.True(reader.Verification!.IsIntact);
        Assert.Equal(1, reader.Verification.DroppedEvents);
        Assert.Equal(batchSize, reader.Verification.LastSequence);
        Assert.Equal(Enumerable.Range(0, batchSize).Where(i => i != 1).Select(i => $"e-{i}"), ids);
        Assert.All(LogFixture.Lines(LogFixture.OnlySegment(_directory)), line => Assert.True(line.Length <= DataAccessAudit.Interchange.AccessEventReader.MaxLineLength));
        var gap = LogFixture.Lines(LogFixture.OnlySegment(_directory))[2];
        Assert.Contains("\"type\":\"gap\",\"time\":\"2026-11-27T07:05:00Z\",\"dropped\":1,\"since\":\"2026-11-27T07:05:00Z\",\"reason\":\"too-large\",\"seq\":2,", gap, StringComparison.Ordinal);
        Assert.Equal(
            "gap: 1 access was too large to record (over 16 MiB as one line) and was recorded as this gap instead, at 2026-11-27T07:05:00Z",
            Assert.Single(reader.IntegrityProblems).Message);
        var logged = Assert.Single(logger.Collector.GetSnapshot(), entry => entry.Id.Id == 4106);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, logged.Level);
    }

    // An export of many people's records with one subject key each: about 17 MiB as one line.
    private static DataAccessAudit.Events.AccessEvent LargeEvent(string id, Instant time) =>
        new(id, time, LogFixture.Event(1).Requester, LogFixture.Event(1).Resource, "export")
        {
            SubjectKeys = [.. Enumerable.Range(0, 700_000).Select(i => $"subject-key-{i:D12}")],
        };

    [Fact]
    public void Write_PastMaxSegmentSize_RotatesAndTheChainRunsAcrossSegments()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory, configure: o => o.MaxSegmentSize = FileLogOptions.MinSegmentSize), 100, batchSize: 5);

        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.True(result.IsIntact, result.Break?.ToString());
        Assert.True(result.Segments > 3, $"{result.Segments} segments");
        Assert.Equal(100, result.LastSequence);
        Assert.All(LogFixture.Segments(_directory)[..^1], s => Assert.InRange(new FileInfo(s).Length, FileLogOptions.MinSegmentSize, FileLogOptions.MinSegmentSize + 5 * 1024));
    }

    [Fact]
    public void Write_AfterRotationInterval_StartsANewSegment()
    {
        var clock = new FakeClock(LogFixture.Start);
        using (var log = new FileLog(LogFixture.Options(_directory, configure: o => o.RotationInterval = TimeSpan.FromHours(1)), clock))
        {
            Write(log, 0, 3);
            clock.Advance(Duration.FromMinutes(59));
            Write(log, 3, 3);
            clock.Advance(Duration.FromMinutes(1));
            Write(log, 6, 3);
        }

        Assert.Equal(2, LogFixture.Segments(_directory).Length);
        Assert.True(FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken).IsIntact);
    }

    [Fact]
    public void Deleting_AMiddleSegment_IsReportedAsDeleted()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory, configure: o => o.MaxSegmentSize = FileLogOptions.MinSegmentSize), 60, batchSize: 5);
        var segments = LogFixture.Segments(_directory);
        File.Delete(segments[1]);

        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.Equal(LogBreakKind.Deleted, result.Break!.Kind);
        Assert.Equal(segments[2], result.Break.Segment);
        Assert.Equal(1, result.Break.Line);
    }

    [Fact]
    public void Open_WithANewKey_RotatesAndVerifiesWithBothKeys()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), 5);
        LogFixture.WriteLog(LogFixture.Options(_directory, configure: o => { o.KeyId = "k2"; o.Key = Convert.ToBase64String(LogFixture.Key2); }), 5, first: 5);

        Assert.Equal(2, LogFixture.Segments(_directory).Length);
        Assert.Contains("\"keyId\":\"k2\"", File.ReadAllText(LogFixture.Segments(_directory)[1]), StringComparison.Ordinal);
        Assert.True(FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken).IsIntact);
        var onlyOld = FileLogVerifier.Verify(_directory, new Dictionary<string, byte[]> { [LogFixture.KeyId] = LogFixture.Key }, TestContext.Current.CancellationToken);
        Assert.Equal(LogVerdict.Unverified, onlyOld.Verdict);
        Assert.Equal(["k2"], onlyOld.UncheckedKeyIds);
        Assert.Equal(10, onlyOld.LastSequence);
    }

    [Fact]
    public void Log_NeverContainsTheKey()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), 5);

        var text = File.ReadAllText(LogFixture.OnlySegment(_directory));

        Assert.DoesNotContain(Convert.ToBase64String(LogFixture.Key), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Retention_RemovesOldSegments_RecordsTheRemoval_AndTheRestStillVerifies()
    {
        var clock = new FakeClock(LogFixture.Start);
        var options = LogFixture.Options(_directory, configure: o => { o.RotationInterval = TimeSpan.FromDays(1); o.Retention = TimeSpan.FromDays(2); });
        using (var log = new FileLog(options, clock))
        {
            for (var day = 0; day < 5; day++)
            {
                Write(log, day * 4, 4);
                clock.Advance(Duration.FromDays(1));
            }

            Write(log, 20, 4);
        }

        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.True(result.IsIntact, result.Break?.ToString());
        Assert.True(result.RemovedUpToSequence > 0);
        Assert.Equal(result.RemovedUpToSequence + 1, result.FirstSequence);
        var text = string.Concat(LogFixture.Segments(_directory).Select(File.ReadAllText));
        Assert.Contains("\"type\":\"removal\"", text, StringComparison.Ordinal);
        Assert.Contains("segment-0000000001.jsonl", text, StringComparison.Ordinal);
        Assert.DoesNotContain(LogFixture.Segments(_directory), s => s.EndsWith("segment-0000000001.jsonl", StringComparison.Ordinal));

        var reader = new FileLogReader(_directory, LogFixture.Keys);
        var problems = new List<DataAccessAudit.Interchange.InputProblem>();
        Assert.NotEmpty(reader.Read(problems.Add).ToList());
        Assert.Empty(problems);
        var removal = Assert.Single(reader.IntegrityProblems);
        Assert.StartsWith($"removal: retention removed records 1 to {result.RemovedUpToSequence} ", removal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retention_OnOpenAfterTheKeyRotated_RecordsTheRemovalUnderTheNewKey_AndTheLogStillVerifies()
    {
        var clock = new FakeClock(LogFixture.Start);
        void Configure(FileLogOptions o)
        {
            o.RotationInterval = TimeSpan.FromDays(1);
            o.Retention = TimeSpan.FromDays(2);
        }

        using (var log = new FileLog(LogFixture.Options(_directory, configure: Configure), clock))
        {
            for (var day = 0; day < 3; day++)
            {
                Write(log, day * 4, 4);
                clock.Advance(Duration.FromDays(1));
            }
        }

        clock.Advance(Duration.FromDays(5));
        var rotated = LogFixture.Options(_directory, configure: o =>
        {
            Configure(o);
            o.KeyId = "k2";
            o.Key = Convert.ToBase64String(LogFixture.Key2);
        });
        using (var log = new FileLog(rotated, clock))
        {
            Write(log, 100, 3);
        }

        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(LogVerdict.Verified, result.Verdict);
        Assert.True(result.RemovedUpToSequence > 0, result.ToString());
        var removal = LogFixture.Segments(_directory).Single(s => File.ReadAllText(s).Contains("\"type\":\"removal\"", StringComparison.Ordinal));
        Assert.Contains("\"keyId\":\"k2\"", LogFixture.Lines(removal)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_FirstSegmentDeletedWithoutARemovalRecord_ReportsDeleted()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory, configure: o => o.MaxSegmentSize = FileLogOptions.MinSegmentSize), 60, batchSize: 5);
        File.Delete(LogFixture.Segments(_directory)[0]);

        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);

        Assert.Equal(LogBreakKind.Deleted, result.Break!.Kind);
        Assert.Equal(1, result.Break.Sequence);
        Assert.Equal(0, result.RemovedUpToSequence);
        Assert.DoesNotContain("removed by retention", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FirstSegmentDeletedWithoutARemovalRecord_ReportsADeletedBreak_NeverARetentionRemoval()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory, configure: o => o.MaxSegmentSize = FileLogOptions.MinSegmentSize), 60, batchSize: 5);
        File.Delete(LogFixture.Segments(_directory)[0]);
        var reader = new FileLogReader(_directory, LogFixture.Keys);

        _ = reader.Read(_ => { }).Count();

        Assert.DoesNotContain(reader.IntegrityProblems, p => p.Message.Contains("retention", StringComparison.Ordinal));
        Assert.Contains(reader.IntegrityProblems, p => p.Message.StartsWith("log integrity broken (deleted) at sequence 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_AfterATornLastLine_MovesItAsideReportsItAndContinuesTheSequence()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), 10);
        var segment = LogFixture.OnlySegment(_directory);
        File.AppendAllText(segment, "{\"schema\":\"access-event/1\",\"id\":\"e-torn\"");

        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)))
        {
            Write(log, 10, 2);
            Assert.NotNull(log.Recovery);
            Assert.Equal(40, log.Recovery!.TornBytes);
            Assert.Equal("{\"schema\":\"access-event/1\",\"id\":\"e-torn\"", File.ReadAllText(log.Recovery.MovedTo));
        }

        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.True(result.IsIntact, result.Break?.ToString());
        Assert.Equal(13, result.LastSequence); // 10 events, the recovery record, 2 events
        Assert.Contains("\"type\":\"recovery\"", File.ReadAllText(segment), StringComparison.Ordinal);
        var problems = new List<DataAccessAudit.Interchange.InputProblem>();
        var reader = new FileLogReader(_directory, LogFixture.Keys);
        Assert.Equal(12, reader.Read(problems.Add).Count());
        Assert.Empty(problems);
        Assert.StartsWith("recovery:", Assert.Single(reader.IntegrityProblems).Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void NewFilesAndDirectory_AreReadableByTheOwnerOnly()
    {
        Assert.False(OperatingSystem.IsWindows(), "file modes are a Unix feature; CI runs on Linux");
        LogFixture.WriteLog(LogFixture.Options(_directory), 1);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LogFixture.OnlySegment(_directory)));
    }

    [Fact]
    public void Open_DirectoryThatCannotBeCreated_ThrowsIOExceptionNamingIt()
    {
        var file = Path.Combine(Path.GetDirectoryName(_directory)!, Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "not a directory");
        var directory = Path.Combine(file, "log");

        var exception = Assert.Throws<IOException>(() => new FileLog(LogFixture.Options(directory), new FakeClock(LogFixture.Start)));

        Assert.Contains(directory, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WhileAnotherWriterHoldsTheDirectory_FailsBeforeWritingAndNamesTheDirectory()
    {
        using (var first = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)))
        {
            Write(first, 0, 3);

            var exception = Assert.Throws<IOException>(() => new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)));

            Assert.Contains($"'{Path.GetFullPath(_directory)}' is already being written by another process", exception.Message, StringComparison.Ordinal);
            Write(first, 3, 2);
            Flush(first);
        }

        // Released on dispose: the next writer continues the same log.
        LogFixture.WriteLog(LogFixture.Options(_directory), 1, first: 5);
        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(6, result.Events);
    }

    [Fact]
    public void Open_AfterTheRunningWritersLockFileWasDeleted_StillFails_AndTheFirstWriterLosesNothing()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // writer.lock cannot be deleted there while it is held
        }

        using (var first = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)))
        {
            Write(first, 0, 3);
            File.Delete(Path.Combine(_directory, WriterLock.FileName));

            var exception = Assert.Throws<IOException>(() => new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)));

            Assert.Contains($"'{Path.GetFullPath(_directory)}' is already being written by another process (it holds the lock of the directory itself", exception.Message, StringComparison.Ordinal);
            Assert.True(WriterLock.IsHeld(_directory));
            Write(first, 3, 2);
            Flush(first);
        }

        Assert.False(WriterLock.IsHeld(_directory));
        LogFixture.WriteLog(LogFixture.Options(_directory), 1, first: 5);
        var result = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(6, result.Events);
    }

    [Fact]
    public void Verify_PartialLastLineWhileTheWriterHoldsTheLock_IsInProgress_AndTruncatedOnceItIsGone()
    {
        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)))
        {
            Write(log, 0, 4);
            Flush(log);
            File.AppendAllText(LogFixture.OnlySegment(_directory), "{\"schema\":\"access-event/1\",\"id\":\"e-4");

            var during = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
            var reader = new FileLogReader(_directory, LogFixture.Keys);
            var problems = new List<DataAccessAudit.Interchange.InputProblem>();
            var events = reader.Read(problems.Add).Count();

            Assert.True(during.IsIntact, during.ToString());
            Assert.Equal(4, during.Events);
            Assert.Equal(36, during.InProgressBytes);
            Assert.Contains("in progress", during.ToString(), StringComparison.Ordinal);
            Assert.Equal(4, events);
            Assert.Empty(problems);
            Assert.Empty(reader.IntegrityProblems);
        }

        var after = FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken);
        Assert.Equal(LogBreakKind.Truncated, after.Break?.Kind);
        Assert.Equal(0, after.InProgressBytes);
    }

    [Fact]
    public void Verify_EmptyLastSegmentWhileTheWriterHoldsTheLock_IsNotBroken()
    {
        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)))
        {
            Write(log, 0, 2);
            Flush(log);
            File.WriteAllBytes(Path.Combine(_directory, "segment-0000000002.jsonl"), []);

            Assert.True(FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken).IsIntact);
        }

        Assert.Equal(LogBreakKind.Truncated, FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken).Break?.Kind);
    }

    // A small batch is written with one pwrite, a large one (serialised on two threads) as several chunks.
    [Theory]
    [InlineData(10)]
    [InlineData((2 * LinePipeline.ChunkSize) + 7)]
    public void Write_DiskFullPartWayThroughABatch_CutsTheBatchOffBeforeFailing_AndARetryWritesItOnce(int batchSize)
    {
        using var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start));
        Write(log, 0, 5);
        var segment = LogFixture.OnlySegment(_directory);
        var before = File.ReadAllBytes(segment);
        log.PositionedWrite = FillsTheDiskPartWay;

        var exception = Assert.Throws<IOException>(() => Write(log, 5, batchSize));

        Assert.Contains("No space left on device", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(segment));
        log.PositionedWrite = null;
        Write(log, 5, batchSize);
        Flush(log);
        var ids = new FileLogReader(_directory, LogFixture.Keys).Read(_ => { }).Select(r => r.Event.Id).ToList();
        Assert.Equal(Enumerable.Range(0, 5 + batchSize).Select(i => $"e-{i}"), ids);
        Assert.True(FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken).IsIntact);
    }

    [Fact]
    public void Write_DiskFullPartWayThroughABatch_ThenStopped_TheLogHoldsExactlyTheRecordsWritten()
    {
        using (var log = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)))
        {
            Write(log, 0, 5);
            Flush(log);
            log.PositionedWrite = FillsTheDiskPartWay;
            Assert.Throws<IOException>(() => Write(log, 5, 40));
        }

        var reader = new FileLogReader(_directory, LogFixture.Keys);
        var ids = reader.Read(_ => { }).Select(r => r.Event.Id).ToList();

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"e-{i}"), ids);
        Assert.Equal(LogVerdict.Verified, reader.Verification!.Verdict);
        Assert.Empty(reader.IntegrityProblems);
        Assert.Empty(Directory.GetFiles(_directory, "*.torn-*"));
    }

    [Fact]
    public void Open_TornTailWhileTheDiskIsStillFull_LeavesNoSideFile_AndRecoversOnceThereIsSpace()
    {
        LogFixture.WriteLog(LogFixture.Options(_directory), 3);
        File.AppendAllText(LogFixture.OnlySegment(_directory), "{\"schema\":\"access-event/1\",\"id\":\"e-3");
        using (var full = new FileLog(LogFixture.Options(_directory), new FakeClock(LogFixture.Start)))
        {
            full.PositionedWrite = (_, _, _) => throw new IOException("No space left on device");

            Assert.Throws<IOException>(() => Write(full, 3, 1));

            Assert.Empty(Directory.GetFiles(_directory, "*.torn-*"));
        }

        LogFixture.WriteLog(LogFixture.Options(_directory), 1, first: 3);
        var side = Assert.Single(Directory.GetFiles(_directory, "*.torn-*"));
        Assert.Equal("{\"schema\":\"access-event/1\",\"id\":\"e-3", File.ReadAllText(side));
        Assert.True(FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken).IsIntact);
    }

    [Fact]
    public void Write_DiskFullWhileStartingANewSegment_NamesTheNewSegment_AndWritesItOnceThereIsSpace()
    {
        var clock = new FakeClock(LogFixture.Start);
        using var log = new FileLog(LogFixture.Options(_directory), clock);
        Write(log, 0, 3);
        var previous = LogFixture.OnlySegment(_directory);
        var next = Path.Combine(_directory, "segment-0000000002.jsonl");
        clock.Advance(Duration.FromDays(1)); // the rotation interval: the next write starts a segment
        log.PositionedWrite = FillsTheDiskPartWay;

        var exception = Assert.Throws<IOException>(() => Write(log, 3, 1));

        Assert.Contains($"The audit log could not write to '{next}': No space left on device", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(previous, exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(next));
        log.PositionedWrite = null;
        Write(log, 3, 1);
        Flush(log);
        Assert.Equal([previous, next], LogFixture.Segments(_directory));
        Assert.True(FileLogVerifier.Verify(_directory, LogFixture.Keys, TestContext.Current.CancellationToken).IsIntact);
    }

    // As a full disk does: the first two thirds of the write reach the file (whole records and part of the next),
    // then the write fails.
    private static void FillsTheDiskPartWay(Microsoft.Win32.SafeHandles.SafeFileHandle handle, ReadOnlySpan<byte> bytes, long offset)
    {
        RandomAccess.Write(handle, bytes[..(bytes.Length * 2 / 3)], offset);
        throw new IOException("No space left on device");
    }

    private static void Flush(FileLog log) => log.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private static void Write(FileLog log, int first, int count) =>
        log.WriteAsync(Enumerable.Range(first, count).Select(i => LogFixture.Record(i)).ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
