using DataAccessAudit.Classification;
using DataAccessAudit.Events;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using DataAccessAudit.Regions;
using DataAccessAudit.Transparency;
using NodaTime;

// Usage: DataAccessAudit.CrashWriter DIR KEYID BASE64KEY [CHECKPOINT-KEY-FILE]
// Records from four threads in Synchronous mode; prints "ack <id>" once Record has returned (the event is
// fsync'ed), and runs until killed. Exits with 3 when the log cannot be opened (another writer holds it). With a
// signing key file, a fifth thread signs a checkpoint whenever the writers have recorded another 64 accesses each (as
// CheckpointOptions.RecordInterval paces a host) and prints "signed <tree size>" after each.
if (args.Length is not (3 or 4))
{
    Console.Error.WriteLine("usage: DataAccessAudit.CrashWriter DIR KEYID BASE64KEY [CHECKPOINT-KEY-FILE]");
    return 2;
}

FileLog log;
try
{
    log = new FileLog(new FileLogOptions { Directory = args[0], KeyId = args[1], Key = args[2] }, SystemClock.Instance);
}
catch (IOException exception)
{
    // A second writer on the directory: the start-up failure an app sees.
    Console.Error.WriteLine("error: " + exception.Message);
    return 3;
}

var queue = new RecordingQueue([log], new RecordingOptions { Durability = RecordingDurability.Synchronous }, SystemClock.Instance);
var output = Console.Out;
var gate = new object();
using var grown = new AutoResetEvent(false);
var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
{
    for (var i = 0; ; i++)
    {
        var id = $"crash-{t}-{i}";
        var accessEvent = new AccessEvent(id, SystemClock.Instance.GetCurrentInstant(), new Requester("emp-1", Region.Parse("CN")), new AccessedResource($"user/{i}", new DataCategory("protected"), Region.Parse("US")), "read");
        queue.Enqueue(new AccessRecord(accessEvent, AccessPolicy.ProjectTexas.Evaluate(accessEvent)));
        lock (gate)
        {
            output.WriteLine("ack " + id);
            output.Flush();
        }

        if (i % 64 == 63)
        {
            grown.Set();
        }
    }
})).ToList();
if (args.Length == 4)
{
    var signingKey = NoteSigningKey.Load(args[3]);
    threads.Add(new Thread(() =>
    {
        while (grown.WaitOne())
        {
            var note = FileLogTree.Checkpoint(args[0], signingKey);
            lock (gate)
            {
                output.WriteLine("signed " + Checkpoint.Parse(note.Text).TreeSize);
                output.Flush();
            }
        }
    }));
}

threads.ForEach(t => t.Start());
threads.ForEach(t => t.Join());
return 0;
