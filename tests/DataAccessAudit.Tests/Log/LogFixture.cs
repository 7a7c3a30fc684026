using System.Security.Cryptography;
using System.Text;
using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.Tests.Log;

// Builds events, logs and tampered copies for the log and recording tests.
internal static class LogFixture
{
    public const string KeyId = "k1";

    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static readonly byte[] Key2 = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    public static readonly Instant Start = Instant.FromUtc(2026, 11, 27, 7, 0);

    public static IReadOnlyDictionary<string, byte[]> Keys => new Dictionary<string, byte[]> { [KeyId] = Key, ["k2"] = Key2 };

    public static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "daa-log-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        return directory;
    }

    public static AccessEvent Event(int i, Instant? time = null) =>
        new($"e-{i}", time ?? Start, new Requester($"emp-{i % 7}", Region.Parse(i % 2 == 0 ? "CN" : "US")), new AccessedResource($"user/{i}/messages", new DataCategory("protected"), Region.Parse("US")), "read");

    public static AccessRecord Record(int i, Instant? time = null)
    {
        var accessEvent = Event(i, time);
        return new AccessRecord(accessEvent, AccessPolicy.ProjectTexas.Evaluate(accessEvent));
    }

    public static FileLogOptions Options(string directory, bool keyed = true, Action<FileLogOptions>? configure = null)
    {
        var options = new FileLogOptions { Directory = directory };
        if (keyed)
        {
            options.KeyId = KeyId;
            options.Key = Convert.ToBase64String(Key);
        }

        configure?.Invoke(options);
        return options;
    }

    // Writes count events in batches of batchSize, then closes the log.
    public static void WriteLog(FileLogOptions options, int count, int batchSize = 10, IClock? clock = null, int first = 0)
    {
        using var log = new FileLog(options, clock ?? new FakeClock(Start));
        for (var i = first; i < first + count; i += batchSize)
        {
            var batch = Enumerable.Range(i, Math.Min(batchSize, first + count - i)).Select(n => Record(n)).ToArray();
            log.WriteAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        log.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    public static string OnlySegment(string directory) => Directory.GetFiles(directory, "segment-*.jsonl").Order(StringComparer.Ordinal).Single();

    public static string[] Segments(string directory) => [.. Directory.GetFiles(directory, "segment-*.jsonl").Order(StringComparer.Ordinal)];

    public static List<string> Lines(string path) => [.. File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    public static void WriteLines(string path, IEnumerable<string> lines) => File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));

    // Recomputes the chain of a segment from a line on with plain SHA-256, as someone without the key would (from
    // line 1: the first segment of a log, whose header links to 64 zeros).
    public static void RechainWithoutKey(string path, int fromLine)
    {
        var lines = Lines(path);
        var previous = fromLine == 1 ? new byte[32] : Convert.FromHexString(ChainOf(lines[fromLine - 2]));
        for (var i = fromLine - 1; i < lines.Count; i++)
        {
            var body = lines[i][..^76] + "}";
            var link = SHA256.HashData([.. previous, .. Encoding.UTF8.GetBytes(body)]);
            lines[i] = lines[i][..^76] + ",\"chain\":\"" + Convert.ToHexStringLower(link) + "\"}";
            previous = link;
        }

        WriteLines(path, lines);
    }

    public static string ChainOf(string line) => line[^66..^2];
}
