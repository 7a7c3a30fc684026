using NodaTime;

namespace DataAccessAudit.Log;

/// <summary>
/// The oldest closed segments of a log whose successor was started more than the retention period ago: what the
/// writer may remove, after recording their removal.
/// </summary>
/// <remarks>
/// A segment's age is read from the header of the segment after it (when it stopped being written), never from file
/// times, which copies and backups change. The first segment kept names, in its header, the last sequence number and
/// chain value of the ones removed, so the chain stays verifiable from there.
/// </remarks>
internal sealed class ExpiredSegments
{
    private ExpiredSegments(List<string> paths, long upToSequence, byte[] upToChain)
    {
        Paths = paths;
        UpToSequence = upToSequence;
        UpToChain = upToChain;
    }

    /// <summary>Gets the segments to remove, oldest first.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Gets the sequence number of the last record they hold.</summary>
    public long UpToSequence { get; }

    /// <summary>Gets the chain value they end on.</summary>
    public byte[] UpToChain { get; }

    /// <summary>Finds the segments before <paramref name="currentNumber"/> that have expired at <paramref name="now"/>.</summary>
    /// <returns>The expired segments; null when none has.</returns>
    public static ExpiredSegments? Find(string directory, long currentNumber, Duration retention, Instant now)
    {
        var segments = LogFormat.ListSegments(directory);
        var paths = new List<string>();
        long upToSequence = 0;
        var upToChain = new byte[ChainHasher.Size];
        for (var i = 0; i < segments.Count && segments[i].Number < currentNumber; i++)
        {
            LogLineFields next;
            Instant nextCreated;
            using (var handle = File.OpenHandle(segments[i + 1].Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                if (!LogTail.TryReadHeader(handle, out next, out nextCreated))
                {
                    break;
                }
            }

            if (nextCreated + retention > now || !LogFormat.TryDecodeHex(next.PrevChain, upToChain))
            {
                break;
            }

            paths.Add(segments[i].Path);
            upToSequence = next.PrevSeq ?? 0;
        }

        return paths.Count == 0 ? null : new ExpiredSegments(paths, upToSequence, upToChain);
    }
}
