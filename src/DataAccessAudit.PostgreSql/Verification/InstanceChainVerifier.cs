using System.Buffers;
using System.Globalization;
using System.Text;
using DataAccessAudit.Interchange;
using DataAccessAudit.Log;
using DataAccessAudit.Policy;
using DataAccessAudit.PostgreSql.Writing;
using Npgsql;

namespace DataAccessAudit.PostgreSql.Verification;

// Checks one instance's rows in sequence order: every line links to the one before (SHA-256 or HMAC with the
// instance's key), sequence numbers run 1, 2, 3 … without gaps or repeats, each row's typed columns say what its
// chained line says (the columns are what SQL reports count), the last row is the head the instance recorded, and,
// given a head kept at an earlier verification, the rows still reach it and carry its chain value there.
internal sealed class InstanceChainVerifier : IDisposable
{
    private readonly string _instanceId;
    private readonly string? _keyId;
    private readonly ChainHasher? _hasher;
    private readonly ChainHasher? _plain;
    private readonly string _source;
    private byte[] _buffer = new byte[4096];
    private readonly byte[] _chain = new byte[ChainHasher.Size];
    private readonly byte[] _stored = new byte[ChainHasher.Size];
    private readonly byte[] _link = new byte[ChainHasher.Size];
    private PostgreSqlInstanceHead? _kept;

    private InstanceChainVerifier(string instanceId, string? keyId, ChainHasher? hasher, ChainHasher? plain)
    {
        _instanceId = instanceId;
        _keyId = keyId;
        _hasher = hasher;
        _plain = plain;
        _source = Source(instanceId);
    }

    public long Records { get; private set; }

    public long Events { get; private set; }

    public long LastSeq { get; private set; }

    public long Dropped { get; private set; }

    public LogBreak? Break { get; private set; }

    public List<InputProblem> Gaps { get; } = [];

    public static string Source(string instanceId) => "postgresql:" + instanceId;

    // Whether the links were checked: false for a keyed instance whose key was not given (its sequence numbers,
    // columns and head are still checked).
    public bool LinksChecked => _hasher is not null;

    // With a break when keys were given and the instance is unkeyed (its chain may have been rewritten).
    public static InstanceChainVerifier Create(string instanceId, string? keyId, IReadOnlyDictionary<string, byte[]>? keys, out LogBreak? refused)
    {
        refused = null;
        if (keyId is null)
        {
            if (keys is { Count: > 0 })
            {
                refused = new LogBreak(LogBreakKind.ForgedWithoutKey, Source(instanceId), 1, 1,
                    "the instance is chained without a key, but keys were given: its chain may have been rewritten by someone without the key");
            }

            return new InstanceChainVerifier(instanceId, null, ChainHasher.Unkeyed(), null);
        }

        if (keys is null || !keys.TryGetValue(keyId, out var key))
        {
            return new InstanceChainVerifier(instanceId, keyId, null, null);
        }

        return new InstanceChainVerifier(instanceId, keyId, ChainHasher.Keyed(keyId, key), ChainHasher.Unkeyed());
    }

    public string LastChainHex => LogFormat.ToHex(_chain);

    // A head kept at an earlier verification: the rows must still reach its sequence number, and the row there must
    // carry its chain value. Without it, rows cut off the end together with the head row moved back are not seen.
    public void Require(PostgreSqlInstanceHead kept) => _kept = kept;

    // Checks the next row; false once the chain is broken (the rest is not checked).
    public bool Add(NpgsqlDataReader row)
    {
        var seq = row.GetInt64(0);
        var expected = LastSeq + 1;
        if (seq != expected)
        {
            return Fail(seq < expected ? LogBreakKind.Inserted : LogBreakKind.Deleted, seq, expected, seq < expected
                ? string.Create(CultureInfo.InvariantCulture, $"a second row with sequence number {seq}")
                : string.Create(CultureInfo.InvariantCulture, $"records {expected} to {seq - 1} are missing"));
        }

        var text = row.GetString(16);
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_buffer.Length < length)
        {
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        }

        var line = _buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, _buffer));
        if (!LogFormat.TrySplitChain(line, out var prefix, _stored) || !LogFormat.TryReadFields(line, out var fields))
        {
            return Fail(LogBreakKind.Modified, seq, expected, "the record is not an access-log/1 line ending in its chain member");
        }

        if (_hasher is null)
        {
            _stored.CopyTo(_link, 0);
        }
        else
        {
            _hasher.LinkPrefix(_chain, prefix, _link);
        }

        if (!_link.AsSpan().SequenceEqual(_stored))
        {
            if (_plain is not null)
            {
                _plain.LinkPrefix(_chain, prefix, _link);
                if (_link.AsSpan().SequenceEqual(_stored))
                {
                    return Fail(LogBreakKind.ForgedWithoutKey, seq, expected, "the record's chain is plain SHA-256, not the HMAC of the instance's key: it was written without the key");
                }
            }

            return Fail(LogBreakKind.Modified, seq, expected, "the record does not link to the record before it: it was changed, or one before it was");
        }

        if (fields.Seq != seq)
        {
            return Fail(LogBreakKind.Modified, seq, expected, string.Create(CultureInfo.InvariantCulture, $"the row's sequence number {seq} differs from the record's {fields.Seq}"));
        }

        var type = row.GetString(1);
        if (fields.IsEvent)
        {
            var body = new byte[prefix.Length + 1];
            prefix.CopyTo(body);
            body[^1] = (byte)'}';
            if (type != "event" || !AccessEventJson.TryParse(body, out var record, out _) || ColumnDifference(row, record) is { } column)
            {
                return Fail(LogBreakKind.Modified, seq, expected, $"the row's column {(type != "event" ? "type" : "holding the event")} differs from its chained record");
            }
        }
        else if (!fields.IsLogRecord || fields.Type != type || !ColumnsNull(row))
        {
            return Fail(LogBreakKind.Modified, seq, expected, "the row's columns differ from its chained log record");
        }
        else if (type == "gap" && fields.Dropped is { } dropped)
        {
            Dropped += dropped;
            Gaps.Add(new InputProblem(_source, seq, GapRecord.Describe(fields)));
        }

        if (_kept is { } kept && seq == kept.LastSequence && LogFormat.ToHex(_link) != kept.LastChain)
        {
            return Fail(LogBreakKind.Modified, seq, expected, string.Create(CultureInfo.InvariantCulture,
                $"the record's chain value differs from the kept head's ({kept.LastChain}): the instance's records up to sequence {seq} were rewritten since that head was kept"));
        }

        _link.CopyTo(_chain, 0);
        LastSeq = seq;
        Records++;
        Events += fields.IsEvent ? 1 : 0;   // counted with its record, once every check of the row held
        return true;
    }

    // After the last row: the instance's recorded head must be where the rows end.
    public void Finish(long headSeq, byte[] headChain)
    {
        if (Break is not null)
        {
            return;
        }

        if (headSeq > LastSeq)
        {
            Fail(LogBreakKind.Deleted, LastSeq + 1, LastSeq + 1, string.Create(CultureInfo.InvariantCulture, $"records {LastSeq + 1} to {headSeq} are missing: the instance recorded writing up to {headSeq}"));
        }
        else if (headSeq < LastSeq)
        {
            Fail(LogBreakKind.Inserted, headSeq + 1, headSeq + 1, string.Create(CultureInfo.InvariantCulture, $"records after {headSeq} were added: the instance recorded writing only up to {headSeq}"));
        }
        else if (!headChain.AsSpan().SequenceEqual(_chain))
        {
            Fail(LogBreakKind.Modified, headSeq, headSeq, "the instance's recorded head does not match its last record");
        }
        else if (_kept is { } kept && kept.LastSequence > LastSeq)
        {
            // The rows and the head agree, but not with what an auditor kept: both were cut back together.
            Fail(LogBreakKind.Deleted, LastSeq + 1, LastSeq + 1, string.Create(CultureInfo.InvariantCulture,
                $"records {LastSeq + 1} to {kept.LastSequence} are missing: the kept head has the instance up to sequence {kept.LastSequence}, but its rows and head row now end at {LastSeq}"));
        }
    }

    public PostgreSqlInstanceVerification ToResult() =>
        new(_instanceId, _keyId, Records, Events, LastSeq, LastChainHex, Dropped, Break, Verdict);

    private LogVerdict Verdict =>
        Break is not null ? LogVerdict.Broken
        : _hasher is null ? LogVerdict.Unverified
        : _keyId is null ? LogVerdict.VerifiedUnkeyed
        : LogVerdict.Verified;

    public void Dispose()
    {
        _hasher?.Dispose();
        _plain?.Dispose();
    }

    // The first typed column that does not say what the chained event says, or null.
    private static string? ColumnDifference(NpgsqlDataReader row, AccessRecord record)
    {
        var e = record.Event;
        if (!Equal(row, 2, StoreTime.ToDateTime(e.Time)))
        {
            return "time";
        }

        if (!Equal(row, 3, e.Requester.Id) || !Equal(row, 4, e.Requester.Region.Code))
        {
            return "requester";
        }

        if (!Equal(row, 5, e.Resource.Category.Name) || !Equal(row, 6, e.Resource.Region.Code) || !Equal(row, 7, e.Resource.StoredIn?.Code) ||
            !Equal(row, 8, e.Resource.Id) || !Equal(row, 9, e.Resource.Type))
        {
            return "resource";
        }

        if (row.IsDBNull(10) || row.GetInt64(10) != e.Subjects)
        {
            return "subjects";
        }

        if (record.Decision is not { } decision)
        {
            return row.IsDBNull(11) && row.IsDBNull(12) && row.IsDBNull(13) ? null : "decision";
        }

        if (!Equal(row, 11, OutcomeNames.Format(decision.Outcome)) || row.IsDBNull(12) || row.GetBoolean(12) != decision.CrossBorder || row.IsDBNull(13))
        {
            return "decision";
        }

        var findings = row.GetFieldValue<string[]>(13);
        return findings.SequenceEqual(decision.Findings.Select(f => f.Name), StringComparer.Ordinal) ? null : "findings";
    }

    private static bool ColumnsNull(NpgsqlDataReader row)
    {
        for (var i = 2; i <= 13; i++)
        {
            if (!row.IsDBNull(i))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Equal(NpgsqlDataReader row, int ordinal, string? expected) =>
        row.IsDBNull(ordinal) ? expected is null : string.Equals(row.GetString(ordinal), expected, StringComparison.Ordinal);

    private static bool Equal(NpgsqlDataReader row, int ordinal, DateTime? expected) =>
        row.IsDBNull(ordinal) ? expected is null : expected is { } time && row.GetDateTime(ordinal).ToUniversalTime() == time;

    private bool Fail(LogBreakKind kind, long row, long expected, string message)
    {
        Break = new LogBreak(kind, _source, row, expected, message);
        return false;
    }
}
