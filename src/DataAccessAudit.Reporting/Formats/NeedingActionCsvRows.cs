using System.Buffers;
using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Aggregation;
using DataAccessAudit.Reporting.Sources;
using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.Reporting.Formats;

// Writes needing-action.csv, which lists every access needing action and so can run to millions of rows. A row is
// copied straight from the bytes of the access's line where they say everything plainly: an ASCII line in the compact
// form writers produce (AccessEventScanner.TryScanCompact) whose decision is known and whose approval state the
// line's ticks decide. Such a line is never parsed into an event, and no cell becomes a string. Any other line is
// parsed into its record and written from that, through the same columns and the same escaping (CsvCell), so both
// ways give the same row. Rows go to one buffer, written out in blocks of about a mebibyte.
internal sealed class NeedingActionCsvRows
{
    private const int BlockLength = 1 << 20;

    // The cells of a row that are not copied from the line (times, names, findings), with their separators, fit here.
    private const int FixedRowLength = 1024;

    private static readonly byte[][] FindingNames = [.. Enumerable.Range(0, Finding.BuiltInCount).Select(i => Encoding.ASCII.GetBytes(Finding.BuiltIn(i).Name))];

    private readonly DateTimeZone _zone;
    private readonly Stream? _stream;
    private readonly TextWriter? _text;
    private readonly Dictionary<Offset, byte[]> _offsets = [];
    private byte[] _buffer = new byte[BlockLength + FixedRowLength];
    private int _length;

    private NeedingActionCsvRows(DateTimeZone zone, Stream? stream, TextWriter? text)
    {
        _zone = zone;
        _stream = stream;
        _text = text;
    }

    // Writes the header and every access of the report needing action, in order, to a stream as UTF-8.
    public static void Write(Stream stream, AccessReport report) => new NeedingActionCsvRows(report.Period.TimeZone, stream, null).WriteAll(report.NeedingAction);

    // The same to a text writer.
    public static void Write(TextWriter writer, AccessReport report) => new NeedingActionCsvRows(report.Period.TimeZone, null, writer).WriteAll(report.NeedingAction);

    // A writer of rows to text, for tests that compare the two ways of writing one row.
    internal static NeedingActionCsvRows To(TextWriter writer, DateTimeZone zone) => new(zone, null, writer);

    internal void Flush()
    {
        if (_stream is not null)
        {
            _stream.Write(_buffer, 0, _length);
        }
        else
        {
            // A block ends between two cells, so no character is split between two blocks.
            var chars = ArrayPool<char>.Shared.Rent(_length);
            var count = Encoding.UTF8.GetChars(_buffer, 0, _length, chars, 0);
            _text!.Write(chars, 0, count);
            ArrayPool<char>.Shared.Return(chars);
        }

        _length = 0;
    }

    internal void WriteRecord(AccessRecord record)
    {
        var e = record.Event;
        Cell(NeedingActionText.Time(e.Time, _zone));
        Cell(NeedingActionText.Severity(AccessesNeedingAction.SeverityOf(record)));
        Cell(NeedingActionText.Outcome(record));
        Cell(e.Id);
        Cell(e.Requester.Id);
        Cell(e.Requester.Region.Code);
        Cell(e.Requester.Organization ?? string.Empty);
        Cell(e.Resource.Id);
        Cell(e.Resource.Type ?? string.Empty);
        Cell(e.Resource.Category.Name);
        Cell(e.Resource.Region.Code);
        Cell(NeedingActionText.Findings(record, ";"));
        Cell(e.Approval?.Id ?? string.Empty);
        Cell(e.Approval?.ApprovedBy ?? string.Empty);
        Cell(NeedingActionText.Optional(e.Approval?.ValidFrom));
        Cell(NeedingActionText.Optional(e.Approval?.ValidUntil));
        Cell(NeedingActionText.ApprovalState(e));
        EndRow();
    }

    private void WriteAll(AccessesNeedingAction list)
    {
        foreach (var name in NeedingActionText.CsvHeader)
        {
            Cell(name);
        }

        EndRow();
        if (list.Runs is { } runs)
        {
            runs.ReadAllLines((line, decision) =>
            {
                if (!TryWriteFromBytes(line, decision))
                {
                    WriteRecord(runs.RecordOf(line, decision));
                }
            });
        }
        else
        {
            foreach (var record in list.First)
            {
                WriteRecord(record);
            }
        }

        Flush();
    }

    internal bool TryWriteFromBytes(ReadOnlySpan<byte> line, int decision)
    {
        var scanned = default(ScannedAccessEvent);
        if (!Ascii.IsValid(line) || !AccessEventScanner.TryScanCompact(line, ref scanned))
        {
            return false;
        }

        AccessOutcome outcome;
        int findings;
        if (decision != NeedingActionDecision.InLine)
        {
            outcome = NeedingActionDecision.OutcomeOf(decision);
            findings = NeedingActionDecision.BuiltInFindingsOf(decision);
        }
        else if (scanned.HasDecision)
        {
            (outcome, findings) = (scanned.Outcome, scanned.BuiltInFindings);
        }
        else
        {
            return false;
        }

        var time = Instant.FromUnixTimeTicks(scanned.UnixTicks);
        var offset = _zone.GetUtcOffset(time);
        var localTicks = DateTime.UnixEpoch.Ticks + scanned.UnixTicks + offset.Ticks;
        // A time or bound with digits finer than a tick, which the ticks would drop, is written from its event.
        if (localTicks < DateTime.MinValue.Ticks || localTicks > DateTime.MaxValue.Ticks || ApprovalState(in scanned) is not { } state ||
            scanned.SubTick != 0 || scanned.ApprovalBoundFinerThanTicks)
        {
            return false;
        }

        Reserve(CsvCell.MaxAsciiLength(line.Length) + FixedRowLength);
        var row = _buffer.AsSpan(_length);
        var at = NeedingActionText.WriteTime(new DateTime(localTicks), row);
        var offsetText = OffsetText(offset);
        offsetText.CopyTo(row[at..]);
        at += offsetText.Length;
        row[at++] = (byte)',';
        at += Name(NeedingActionText.Severity(NeedingActionOrder.SeverityOf(outcome, findings)), row[at..]);
        at += Name(OutcomeNames.Format(outcome), row[at..]);
        at += Copy(line[scanned.Id], row[at..]);
        at += Copy(line[scanned.RequesterId], row[at..]);
        at += Name(scanned.RequesterRegion.Code, row[at..]);
        at += Copy(scanned.Organization is { } organization ? line[organization] : [], row[at..]);
        at += Copy(line[scanned.ResourceId], row[at..]);
        at += Copy(scanned.Type is { } type ? line[type] : [], row[at..]);
        at += Copy(line[scanned.Category], row[at..]);
        at += Name(scanned.DataRegion.Code, row[at..]);
        at += Findings(findings, row[at..]);
        at += Copy(scanned.ApprovalId is { } approval ? line[approval] : [], row[at..]);
        at += Copy(scanned.ApprovedBy is { } approver ? line[approver] : [], row[at..]);
        at += Bound(scanned.ApprovalValidFromTicks, row[at..]);
        at += Bound(scanned.ApprovalValidUntilTicks, row[at..]);
        at += Name(state, row[at..]);
        "\r\n"u8.CopyTo(row[(at - 1)..]);
        _length += at + 1;
        if (_length >= BlockLength)
        {
            Flush();
        }

        return true;
    }

    // The approval's state at the access as NeedingActionText.ApprovalState words it; null where the ticks do not
    // decide it.
    private static string? ApprovalState(in ScannedAccessEvent scanned) => ScannedApproval.WindowOf(in scanned) switch
    {
        ApprovalWindow.None => string.Empty,
        ApprovalWindow.Inside => "valid",
        ApprovalWindow.Expired => "expired",
        ApprovalWindow.NotYetValid => "not-yet-valid",
        _ => null,
    };

    // An approval's bound as NeedingActionText.Optional writes it, with a separator; nothing for none.
    private static int Bound(long? unixTicks, Span<byte> destination)
    {
        var at = 0;
        if (unixTicks is { } ticks)
        {
            at = NeedingActionText.WriteTime(new DateTime(DateTime.UnixEpoch.Ticks + ticks), destination);
            destination[at++] = (byte)'Z';
        }

        destination[at++] = (byte)',';
        return at;
    }

    // A cell copied from the line, escaped, with a separator.
    private static int Copy(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        var at = CsvCell.WriteAscii(value, destination);
        destination[at] = (byte)',';
        return at + 1;
    }

    // An ASCII name, escaped, with a separator.
    private static int Name(string value, Span<byte> destination)
    {
        Span<byte> bytes = stackalloc byte[value.Length];
        Ascii.FromUtf16(value, bytes, out _);
        return Copy(bytes, destination);
    }

    // The findings' names in their one order, separated by ';', as NeedingActionText.Findings joins them.
    private static int Findings(int builtInFindings, Span<byte> destination)
    {
        Span<byte> names = stackalloc byte[FixedRowLength / 2];
        var at = 0;
        for (var bits = builtInFindings; bits != 0; bits &= bits - 1)
        {
            if (at > 0)
            {
                names[at++] = (byte)';';
            }

            var name = FindingNames[System.Numerics.BitOperations.TrailingZeroCount(bits)];
            name.CopyTo(names[at..]);
            at += name.Length;
        }

        return Copy(names[..at], destination);
    }

    // The offset as OffsetDateTimePattern.GeneralIso ends a time with it ("Z", "+01", "+05:30", "+00:19:32"),
    // formatted once per offset the zone has.
    private byte[] OffsetText(Offset offset)
    {
        if (!_offsets.TryGetValue(offset, out var text))
        {
            text = Encoding.ASCII.GetBytes(OffsetPattern.GeneralInvariantWithZ.Format(offset));
            _offsets.Add(offset, text);
        }

        return text;
    }

    // A cell of text, escaped, with a separator.
    private void Cell(string value)
    {
        var escaped = CsvCell.Escape(value);
        Reserve(Encoding.UTF8.GetMaxByteCount(escaped.Length) + 1);
        _length += Encoding.UTF8.GetBytes(escaped, _buffer.AsSpan(_length));
        _buffer[_length++] = (byte)',';
    }

    // Ends a row of cells, each followed by a separator: the last separator becomes the line break.
    private void EndRow()
    {
        _buffer[_length - 1] = (byte)'\r';
        Reserve(1);
        _buffer[_length++] = (byte)'\n';
        if (_length >= BlockLength)
        {
            Flush();
        }
    }

    // Room for length more bytes: the rows so far are written out first, and the buffer grows only for a row longer
    // than a block.
    private void Reserve(int length)
    {
        if (_length + length <= _buffer.Length)
        {
            return;
        }

        Flush();
        if (length > _buffer.Length)
        {
            _buffer = new byte[length];
        }
    }
}
