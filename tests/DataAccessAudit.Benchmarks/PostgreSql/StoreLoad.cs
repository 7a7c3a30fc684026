using System.Diagnostics;
using System.Globalization;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.PostgreSql;
using DataAccessAudit.PostgreSql.Writing;
using DataAccessAudit.Recording;
using NodaTime;

namespace DataAccessAudit.Benchmarks.PostgreSql;

/// <summary>
/// Ingest: writes the events of an access-event/1 file into a store through the store's own sink, in batches of the
/// recording pipeline's largest size, and prints events per second of writing (parsing the file is not timed). The
/// PostgreSQL store (binary COPY, one transaction per batch, chained per instance) against the peer, the keyed file
/// log (chained, buffered, synced at the end), over the same events.
/// </summary>
public static class StoreLoad
{
    private const int Batch = 4096;

    public static void Run(string file, string target, bool postgres)
    {
        var key = Convert.ToBase64String(new byte[32]);
        IAccessEventSink sink = postgres
            ? new PostgreSqlAccessEventSink(new PostgreSqlStoreOptions { ConnectionString = target, InstanceId = $"bench-{Guid.NewGuid():N}", KeyId = "k1", Key = key }, SystemClock.Instance)
            : new FileLog(new FileLogOptions { Directory = target, KeyId = "k1", Key = key }, SystemClock.Instance);
        var batch = new AccessRecord[Batch];
        var count = 0;
        var events = 0L;
        var writing = new Stopwatch();
        foreach (var line in File.ReadLines(file))
        {
            batch[count++] = AccessEventJson.Parse(line);
            if (count == Batch)
            {
                Write(batch.AsMemory(0, count));
                events += count;
                count = 0;
            }
        }

        Write(batch.AsMemory(0, count));
        events += count;
        writing.Start();
        sink.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        writing.Stop();
        (sink as IDisposable)?.Dispose();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(postgres ? "postgresql" : "file log")}: {events} events written in {writing.Elapsed.TotalSeconds:0.000} s: {events / writing.Elapsed.TotalSeconds:#,0} events/s"));

        void Write(ReadOnlyMemory<AccessRecord> records)
        {
            writing.Start();
            sink.WriteAsync(records, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            writing.Stop();
        }
    }
}
