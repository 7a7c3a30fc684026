using DataAccessAudit.Log;
using DataAccessAudit.Tests.Log;
using DataAccessAudit.Transparency;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Transparency;

// A log written over six days, one segment a day, checkpointed at the end of each, whose retention of two days
// removed the oldest segments (recording their removal): what the tree's readers meet after months of recording.
internal static class RetainedLog
{
    // Writes it into the directory; returns the chain's verification, which states the records retention removed.
    // waitForCheckpoints: the writer deletes segments only once a checkpoint covers their removal record, as the
    // file log registered with AddFileLog does; the last removal then still waits, its segments in the log.
    public static LogVerificationResult Write(string directory, NoteSigningKey key, int perDay = 10, bool waitForCheckpoints = false)
    {
        var clock = new FakeClock(LogFixture.Start);
        var options = LogFixture.Options(directory, configure: o =>
        {
            o.RotationInterval = TimeSpan.FromDays(1);
            o.Retention = TimeSpan.FromDays(2);
        });
        using (var log = new FileLog(options, clock) { CheckpointedRecords = waitForCheckpoints ? LogTree.CheckpointedRecords : null })
        {
            for (var day = 0; day < 6; day++)
            {
                log.WriteAsync(Enumerable.Range(day * perDay, perDay).Select(i => LogFixture.Record(i)).ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
                log.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
                FileLogTree.Checkpoint(directory, key);
                clock.Advance(Duration.FromDays(1));
            }
        }

        FileLogTree.Checkpoint(directory, key);
        var chain = FileLogVerifier.Verify(directory, LogFixture.Keys, CancellationToken.None);
        Assert.True(chain.IsIntact && chain.RemovedUpToSequence > 0, chain.ToString());
        return chain;
    }

    // Appends, after the last record (so under no checkpoint), a removal record accounting for the records before the
    // first segment now in the log, as someone who deleted segments without the chain key would forge it.
    public static void AppendUnsignedRemoval(string directory, long lastSequence)
    {
        var segments = LogFixture.Segments(directory);
        var header = LogFixture.Lines(segments[0])[0];
        var prevSeq = System.Text.Json.JsonDocument.Parse(header).RootElement.GetProperty("prevSeq").GetInt64();
        var line = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{{\"schema\":\"access-log/1\",\"type\":\"removal\",\"time\":\"2026-12-10T07:00:00Z\",\"segments\":[],\"upToSeq\":{prevSeq},\"upToChain\":\"{new string('0', 64)}\",\"seq\":{lastSequence + 1},\"chain\":\"{new string('0', 64)}\"}}\n");
        File.AppendAllText(segments[^1], line);
    }
}
