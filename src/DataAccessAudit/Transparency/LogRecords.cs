using System.Globalization;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;

namespace DataAccessAudit.Transparency;

// Called with each record line of a log (without its '\n') and its leaf index, the record's place in the log;
// returns whether to go on.
internal delegate bool LogRecordAction(long index, ReadOnlySpan<byte> line);

// The records of a log directory in order, as the tree sees them: every complete line of every segment but its
// header. The first record of a segment has leaf index prevSeq of its header (its seq - 1 in an intact log).
internal static class LogRecords
{
    // Reads the records from leaf index `from` on; returns the index after the last complete record. Every record read
    // must have seq = its leaf index + 1, the one place that rule is kept: a checkpoint then never signs, a proof never
    // names, and verifying never passes a log whose records were deleted, inserted or reordered before it was signed
    // (which the hashes alone cannot show, as they would be the hashes of that altered log).
    // Throws InvalidDataException naming the record out of place.
    public static long Read(string logDirectory, long from, LogRecordAction onRecord, CancellationToken cancellationToken = default)
    {
        var segments = LogFormat.ListSegments(logDirectory);
        var start = -1;
        long index = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var prevSeq = ReadPrevSeq(segments[i].Path);
            if (prevSeq is null)
            {
                break; // an empty or unreadable last segment holds no record
            }

            if (prevSeq > from)
            {
                break;
            }

            start = i;
            index = prevSeq.Value;
        }

        if (segments.Count == 0 || start < 0)
        {
            if (from == 0 && segments.Count == 0)
            {
                return 0;
            }

            throw new InvalidDataException($"The log '{logDirectory}' no longer holds record {from + 1}: the segments holding it were removed or never written.");
        }

        for (var i = start; i < segments.Count; i++)
        {
            using var reader = new SegmentLineReader(segments[i].Path);
            var header = true;
            long lineNumber = 0;
            while (reader.TryRead(out var lineStart, out var length, out var terminated))
            {
                lineNumber++;
                if (!terminated)
                {
                    return index; // a line still being written (or torn): not a record yet
                }

                if (reader.DroppedLength > 0)
                {
                    throw new InvalidDataException($"The log '{logDirectory}' cannot be read past record {index} (in '{segments[i].Path}'): {LineBuffer.TooLong(reader.DroppedLength)}.");
                }

                if (header)
                {
                    header = false;
                    continue;
                }

                // The writer's lines are checked by their last bytes; any other line by its members.
                var line = reader.Buffer.AsSpan(lineStart, length);
                if (!LogFormat.EndsWithSeq(line, index + 1) && (!LogFormat.TryReadFields(line, out var fields) || fields.Seq != index + 1))
                {
                    throw OutOfSequence(segments[i].Path, lineNumber, index, fields.Seq);
                }

                if (index >= from && !onRecord(index, line))
                {
                    return index + 1;
                }

                index++;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return index;
    }

    // The leaf index of the first record the log still holds: the prevSeq of its first segment, 0 for a log that
    // starts at record 1 (or holds no segment). Retention removes the oldest segments, after which reading from 0
    // fails; a reader that looks through every record the log has starts here.
    public static long FirstHeld(string logDirectory)
    {
        var segments = LogFormat.ListSegments(logDirectory);
        return segments.Count == 0 ? 0 : ReadPrevSeq(segments[0].Path) ?? 0;
    }

    // Whether a removal record among the first `signed` records (those a checkpoint signs: a record after them could
    // have been added by anyone who can write the files) states that retention removed the records up to `upToSeq`:
    // what makes a log that starts after record 1 one whose oldest segments were removed, rather than deleted. Only
    // lines that begin as the writer begins a removal record are parsed.
    public static bool HasRemovalUpTo(string logDirectory, long upToSeq, long signed)
    {
        var found = false;
        Read(logDirectory, FirstHeld(logDirectory), (index, line) =>
        {
            if (index >= signed)
            {
                return false;
            }

            found = line.StartsWith(RemovalPrefix) && LogFormat.TryReadFields(line, out var fields) &&
                fields.IsLogRecord && fields.Type == "removal" && fields.UpToSeq == upToSeq;
            return !found;
        });
        return found;
    }

    private static ReadOnlySpan<byte> RemovalPrefix => "{\"schema\":\"access-log/1\",\"type\":\"removal\""u8;

    private static InvalidDataException OutOfSequence(string path, long line, long index, long? seq)
    {
        var held = seq is { } value ? "the record with seq " + value.ToString(CultureInfo.InvariantCulture) : "no record with a sequence number";
        return new(string.Create(
            CultureInfo.InvariantCulture,
            $"Record {index + 1} is out of sequence: line {line} of '{path}', its place in the log, holds {held}. Records were deleted, inserted or reordered: the log's tree, whose leaf i is the record with seq i + 1, cannot be built or checked from it."));
    }

    private static long? ReadPrevSeq(string path)
    {
        using var reader = new SegmentLineReader(path);
        return reader.TryRead(out var start, out var length, out var terminated) && terminated &&
            LogFormat.TryReadFields(reader.Buffer.AsSpan(start, length), out var fields) && fields.IsHeader
            ? fields.PrevSeq
            : null;
    }
}
