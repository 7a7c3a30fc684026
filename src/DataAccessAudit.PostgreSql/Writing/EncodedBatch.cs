using DataAccessAudit.Events;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using NodaTime;

namespace DataAccessAudit.PostgreSql.Writing;

// A batch serialised as access-log/1 record lines and chained onto the instance's head, kept until the database
// has it: a retry after a failure writes these same lines with the same sequence numbers, never new ones.
internal sealed class EncodedBatch
{
    public EncodedBatch(int capacity)
    {
        Records = new AccessRecord?[capacity];
        LineEnds = new int[capacity];
    }

    // The events of the lines (null for a gap or other log record line), in order.
    public AccessRecord?[] Records { get; private set; }

    // Where each line ends in Lines (exclusive, without '\n'); line i starts at LineEnds[i - 1] + 1.
    public int[] LineEnds { get; private set; }

    // The lines, each followed by '\n'.
    public ReadOnlyMemory<byte> Lines { get; set; }

    // The record type of each non-event line, by index.
    public string?[] Types { get; private set; } = [];

    public int Count { get; set; }

    public long PreviousSeq { get; set; }

    public byte[] PreviousChain { get; } = new byte[ChainHasher.Size];

    public byte[] LastChain { get; } = new byte[ChainHasher.Size];

    public long LastSeq => PreviousSeq + Count;

    public Instant Written { get; set; }

    // The first event of the batch the app handed in: how a retried WriteAsync recognises its batch.
    public AccessEvent? FirstEvent { get; set; }

    public long SpillSeq { get; set; }

    public void Reset(int capacity)
    {
        if (Records.Length < capacity)
        {
            Records = new AccessRecord?[capacity];
            LineEnds = new int[capacity];
        }

        if (Types.Length < capacity)
        {
            Types = new string?[Math.Max(capacity, 1)];
        }

        Array.Clear(Records, 0, Count);
        Array.Clear(Types, 0, Math.Min(Count, Types.Length));
        Count = 0;
        FirstEvent = null;
        SpillSeq = 0;
    }

    public ReadOnlyMemory<byte> Line(int index)
    {
        var start = index == 0 ? 0 : LineEnds[index - 1] + 1;
        return Lines[start..LineEnds[index]];
    }
}
