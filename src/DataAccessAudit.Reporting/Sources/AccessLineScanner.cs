using System.Text.Json;
using System.Text.Unicode;
using DataAccessAudit.BulkData;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using DataAccessAudit.Reporting.Aggregation;

namespace DataAccessAudit.Reporting.Sources;

// The fast path of report reading: scans one access-event/1 line with a Utf8JsonReader and counts it without
// building the document, the domain objects or a string per field. It takes only the common, unambiguous shape: a
// line with a recorded decision, no escaped strings, every value of the expected JSON type, and times of the form
// yyyy-MM-ddTHH:mm:ss[.fffffffff]Z. Anything else (a missing field, an unusual value, a decision to evaluate, a line
// that is not an event at all) returns false and goes to AccessEventReader.TryParseLine, which accepts, rejects
// and words problems exactly as every other reader does. So the fast path changes speed, never results: it only
// accepts lines that the full parser accepts with the same values.
internal sealed class AccessLineScanner
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,

        // Unknown fields are skipped at any nesting depth, as the full parser does.
        MaxDepth = int.MaxValue,
    };

    private readonly AccessReportBuilder _builder;
    private readonly bool _enabled;
    private readonly Utf8StringCache _strings = new();
    private readonly Utf8StringCache _requesters = new();

    // The requester of the line being scanned; its tally is looked up only once the line is known to count.
    private Utf8StringCache.Entry? _requester;

    // The requester's organization of the line being scanned (only the bulk-data thresholds need it).
    private string? _organization;

    // Reused for the hashes of a line's subject keys.
    private ulong[] _keyHashes = new ulong[16];

    public AccessLineScanner(AccessReportBuilder builder)
    {
        _builder = builder;

        // Re-evaluation needs the whole event for the policy: the full parser then does the work.
        _enabled = !builder.Options.Reevaluate;
    }

    // True when the line was an event and was handled (counted, or outside the period); false when the full parser
    // must look at it.
    public bool TryCount(ReadOnlySpan<byte> line)
    {
        // A line that is not valid UTF-8 (even inside a skipped field) is an input problem: the full parser words it.
        if (!_enabled || line.IsEmpty || line[0] != (byte)'{' || !Utf8.IsValid(line))
        {
            return false;
        }

        try
        {
            return TryScan(line);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryParseTime(ReadOnlySpan<byte> s, out long unixTicks)
    {
        unixTicks = 0;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day) ||
            !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var fractionTicks = 0L;
        if (s[19] == '.')
        {
            if (s.Length < 22 || s[^1] != 'Z')
            {
                return false;
            }

            var digits = s[20..^1];
            if (digits.Length > 9 || !TryDigits(digits, out var fraction))
            {
                return false;
            }

            // Nanoseconds, then whole ticks rounded down, as Instant.ToUnixTimeTicks does.
            long nanoseconds = fraction;
            for (var i = digits.Length; i < 9; i++)
            {
                nanoseconds *= 10;
            }

            fractionTicks = nanoseconds / 100;
        }
        else if (s.Length != 20 || s[19] != 'Z')
        {
            return false;
        }

        unixTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks + fractionTicks;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    // A string token that the full parser would turn into the same string: not escaped (the line is valid UTF-8).
    private static bool IsPlainString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped;

    // A string or null (an absent optional field).
    private static bool IsOptionalString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null || IsPlainString(ref reader);

    private static bool TryInstant(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null || (IsPlainString(ref reader) && TryParseTime(reader.ValueSpan, out _));

    private static bool IsProperty(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped;

    private bool TryScan(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var access = default(CountedAccess);
        access.Subjects = 0;
        var subjectKeys = 0;
        var keysStart = -1;
        bool schema = false, id = false, time = false, requester = false, resource = false, action = false, decision = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!IsProperty(ref reader))
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("schema"u8))
            {
                schema = IsPlainString(ref reader) && reader.ValueSpan.SequenceEqual("access-event/1"u8);
            }
            else if (name.SequenceEqual("id"u8))
            {
                id = IsPlainString(ref reader) && reader.ValueSpan.Length > 0;
            }
            else if (name.SequenceEqual("time"u8))
            {
                time = IsPlainString(ref reader) && TryParseTime(reader.ValueSpan, out access.UnixTicks);
            }
            else if (name.SequenceEqual("requester"u8))
            {
                requester = reader.TokenType == JsonTokenType.StartObject && TryScanRequester(ref reader, ref access);
            }
            else if (name.SequenceEqual("resource"u8))
            {
                resource = reader.TokenType == JsonTokenType.StartObject && TryScanResource(ref reader, ref access);
            }
            else if (name.SequenceEqual("subjects"u8))
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    access.Subjects = 0;
                }
                else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out access.Subjects) || access.Subjects is < 1 or > AccessEvent.MaxSubjects)
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("subjectKeys"u8))
            {
                subjectKeys = 0;
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return false;
                }

                keysStart = (int)reader.TokenStartIndex;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!IsPlainString(ref reader) || reader.ValueSpan.Length == 0)
                    {
                        return false;
                    }

                    subjectKeys++;
                }

                if (subjectKeys == 0)
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("action"u8))
            {
                action = IsPlainString(ref reader) && reader.ValueSpan.Length > 0;
            }
            else if (name.SequenceEqual("purpose"u8) || name.SequenceEqual("traceId"u8))
            {
                if (!IsOptionalString(ref reader))
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("approval"u8))
            {
                if (reader.TokenType != JsonTokenType.Null && (reader.TokenType != JsonTokenType.StartObject || !TryScanApproval(ref reader)))
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("decision"u8))
            {
                decision = reader.TokenType == JsonTokenType.StartObject && TryScanDecision(ref reader, ref access);
            }
            else
            {
                // Unknown fields are ignored, whatever their value.
                reader.Skip();
            }
        }

        // Trailing content after the object makes the reader throw, which sends the line to the full parser.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return false;
        }

        if (!(schema && id && time && requester && resource && action && decision))
        {
            return false;
        }

        // Absent subjects: the number of keys, or 1 without keys.
        if (access.Subjects == 0)
        {
            access.Subjects = Math.Max(1, subjectKeys);
        }

        if (_builder.InBulkRange(access.UnixTicks) && _builder.CountsTowardBulk(in access, _organization))
        {
            _builder.CountBulk(in access, _organization, keysStart < 0 ? default : HashKeys(line[keysStart..], subjectKeys));
        }

        if (_builder.InPeriod(access.UnixTicks))
        {
            access.Tally = _requester!.Tally ??= _builder.TallyOf(_requester.Value);
            _builder.Count(in access);
        }

        return true;
    }

    // The hashes of the subject keys of an array already validated by the scan (plain, non-empty strings).
    private ReadOnlySpan<ulong> HashKeys(ReadOnlySpan<byte> fromArray, int count)
    {
        if (_keyHashes.Length < count)
        {
            _keyHashes = new ulong[Math.Max(count, 2 * _keyHashes.Length)];
        }

        var reader = new Utf8JsonReader(fromArray, isFinalBlock: false, default);
        reader.Read();
        var n = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            _keyHashes[n++] = DistinctCountSketch.Hash(reader.ValueSpan);
        }

        return _keyHashes.AsSpan(0, n);
    }

    private bool TryScanRequester(ref Utf8JsonReader reader, ref CountedAccess access)
    {
        Utf8StringCache.Entry? requesterId = null;
        var region = false;
        access.RequesterRegion = Region.Unknown;
        _organization = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!IsProperty(ref reader))
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("id"u8))
            {
                if (!IsPlainString(ref reader) || reader.ValueSpan.Length == 0)
                {
                    return false;
                }

                requesterId = _requesters.GetEntry(reader.ValueSpan);
            }
            else if (name.SequenceEqual("region"u8))
            {
                // Required, but null (like ZZ) means unknown.
                region = true;
                if (reader.TokenType == JsonTokenType.Null)
                {
                    access.RequesterRegion = Region.Unknown;
                }
                else if (!IsPlainString(ref reader) || !Region.TryParse(reader.ValueSpan, out access.RequesterRegion))
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("organization"u8))
            {
                if (!IsOptionalString(ref reader))
                {
                    return false;
                }

                _organization = reader.TokenType == JsonTokenType.Null ? null : _strings.Get(reader.ValueSpan);
            }
            else if (name.SequenceEqual("roles"u8))
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!IsPlainString(ref reader))
                    {
                        return false;
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (requesterId is null || !region)
        {
            return false;
        }

        access.RequesterId = requesterId.Value;
        _requester = requesterId;
        return true;
    }

    private bool TryScanResource(ref Utf8JsonReader reader, ref CountedAccess access)
    {
        bool id = false, region = false;
        string? category = null;
        access.Type = null;
        access.StoredIn = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!IsProperty(ref reader))
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("id"u8))
            {
                id = IsPlainString(ref reader) && reader.ValueSpan.Length > 0;
                if (!id)
                {
                    return false;
                }

                access.ResourceHash = ResourceIdHash.Of(reader.ValueSpan);
            }
            else if (name.SequenceEqual("type"u8))
            {
                if (!IsOptionalString(ref reader))
                {
                    return false;
                }

                access.Type = reader.TokenType == JsonTokenType.Null ? null : _strings.Get(reader.ValueSpan);
            }
            else if (name.SequenceEqual("category"u8))
            {
                if (!IsPlainString(ref reader))
                {
                    return false;
                }

                category = _strings.Get(reader.ValueSpan);
                if (string.IsNullOrWhiteSpace(category))
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("region"u8))
            {
                // The home of the data is always known: ZZ is an input problem.
                region = IsPlainString(ref reader) && Region.TryParse(reader.ValueSpan, out access.DataRegion) && !access.DataRegion.IsUnknown;
                if (!region)
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("storedIn"u8))
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    access.StoredIn = null;
                }
                else if (IsPlainString(ref reader) && Region.TryParse(reader.ValueSpan, out var storedIn))
                {
                    access.StoredIn = storedIn;
                }
                else
                {
                    return false;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (!id || !region || category is null)
        {
            return false;
        }

        access.Category = category;
        return true;
    }

    private static bool TryScanApproval(ref Utf8JsonReader reader)
    {
        var id = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!IsProperty(ref reader))
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("id"u8))
            {
                id = IsPlainString(ref reader) && reader.ValueSpan.Length > 0;
                if (!id)
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("approvedBy"u8))
            {
                if (!IsOptionalString(ref reader))
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("validFrom"u8) || name.SequenceEqual("validUntil"u8))
            {
                if (!TryInstant(ref reader))
                {
                    return false;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return id;
    }

    private static bool TryScanDecision(ref Utf8JsonReader reader, ref CountedAccess access)
    {
        var outcome = false;
        access.CrossBorder = false;
        access.BuiltInFindings = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!IsProperty(ref reader))
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("outcome"u8))
            {
                outcome = IsPlainString(ref reader) && TryOutcome(reader.ValueSpan, out access.Outcome);
                if (!outcome)
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("crossBorder"u8))
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.True: access.CrossBorder = true; break;
                    case JsonTokenType.False:
                    case JsonTokenType.Null: access.CrossBorder = false; break;
                    default: return false;
                }
            }
            else if (name.SequenceEqual("findings"u8))
            {
                access.BuiltInFindings = 0;
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!IsPlainString(ref reader) || !TryBuiltInFinding(reader.ValueSpan, out var finding))
                    {
                        return false;
                    }

                    access.BuiltInFindings |= 1 << BuiltInFindings.IndexOf(finding.Name);
                }
            }
            else if (name.SequenceEqual("policy"u8))
            {
                if (!IsOptionalString(ref reader))
                {
                    return false;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return outcome;
    }

    private static bool TryOutcome(ReadOnlySpan<byte> name, out AccessOutcome outcome)
    {
        if (name.SequenceEqual("allowed"u8))
        {
            outcome = AccessOutcome.Allowed;
        }
        else if (name.SequenceEqual("flagged"u8))
        {
            outcome = AccessOutcome.Flagged;
        }
        else if (name.SequenceEqual("approved"u8))
        {
            outcome = AccessOutcome.Approved;
        }
        else if (name.SequenceEqual("denied"u8))
        {
            outcome = AccessOutcome.Denied;
        }
        else
        {
            outcome = default;
            return false;
        }

        return true;
    }

    // Only the built-in names; another name sends the line to the full parser, which keeps it as it is.
    private static bool TryBuiltInFinding(ReadOnlySpan<byte> name, out Finding finding)
    {
        if (name.SequenceEqual("cross-border-protected-access"u8))
        {
            finding = Finding.CrossBorderProtectedAccess;
        }
        else if (name.SequenceEqual("country-of-concern-access"u8))
        {
            finding = Finding.CountryOfConcernAccess;
        }
        else if (name.SequenceEqual("stored-outside-home-jurisdiction"u8))
        {
            finding = Finding.StoredOutsideHomeJurisdiction;
        }
        else if (name.SequenceEqual("unknown-requester-region"u8))
        {
            finding = Finding.UnknownRequesterRegion;
        }
        else if (name.SequenceEqual("unknown-data-category"u8))
        {
            finding = Finding.UnknownDataCategory;
        }
        else
        {
            finding = default;
            return false;
        }

        return true;
    }
}
