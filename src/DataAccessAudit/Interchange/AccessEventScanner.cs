using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Interchange;

// The fast reader of access-event/1: scans one line (in the compact form writers produce, without a general JSON
// reader: AccessEventScanner.Compact.cs; otherwise with a Utf8JsonReader) into the fields a report counts
// (ScannedAccessEvent), without building the document, the domain objects or a string per field. It takes only the
// common, unambiguous shape: a line with or without a recorded decision (with none, the caller evaluates the policy
// on the scanned fields), no escaped strings, every value of the expected JSON type, and times of the form
// yyyy-MM-ddTHH:mm:ss[.fffffffff]Z. Anything else (a missing field, an unusual value, a custom finding, a line that
// is not an event at all) returns false and goes to AccessEventReader.TryParseLine, which accepts, rejects
// and words problems exactly as every other reader does. So the fast path changes speed, never results: it only
// accepts lines that the full parser accepts with the same values. Strings are handed over as ranges of the line,
// so that the caller decides what to keep of them.
internal static partial class AccessEventScanner
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,

        // Unknown fields are skipped at any nesting depth, as the full parser does.
        MaxDepth = int.MaxValue,
    };

    // True when the line is an event of the common shape, scanned into access; false when the full parser must look
    // at it.
    public static bool TryScan(ReadOnlySpan<byte> line, out ScannedAccessEvent access)
    {
        access = default;

        // A line that is not valid UTF-8 (even inside a skipped field) is an input problem: the full parser words it.
        if (line.IsEmpty || line[0] != (byte)'{' || !Utf8.IsValid(line))
        {
            return false;
        }

        if (TryScanCompact(line, ref access))
        {
            return true;
        }

        access = default;
        return TryScanWithReader(line, ref access);
    }

    // The reader path alone, which decides every line the compact pass declines (the line is valid UTF-8 and starts
    // an object).
    internal static bool TryScanWithReader(ReadOnlySpan<byte> line, ref ScannedAccessEvent access)
    {
        try
        {
            return TryScanEvent(line, ref access);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // A string token that the full parser would turn into the same string: not escaped (the line is valid UTF-8).
    private static bool IsPlainString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped;

    // A string or null (an absent optional field).
    private static bool IsOptionalString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null || IsPlainString(ref reader);

    // A required id: a plain, non-empty string; its range.
    private static bool TryId(ref Utf8JsonReader reader, out Range range)
    {
        var valid = IsPlainString(ref reader) && reader.ValueSpan.Length > 0;
        range = valid ? ValueRange(ref reader) : default;
        return valid;
    }

    // An optional string: its range, or null for a JSON null; false for anything else.
    private static bool TryOptionalString(ref Utf8JsonReader reader, out Range? range)
    {
        range = null;
        if (!IsOptionalString(ref reader))
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.Null)
        {
            range = ValueRange(ref reader);
        }

        return true;
    }

    private static bool TryInstant(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null || (IsPlainString(ref reader) && InterchangeInstant.TryParse(reader.ValueSpan, out _));

    private static bool IsProperty(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped;

    // The range of the line that a plain string token's value occupies (just inside its quotes).
    private static Range ValueRange(ref Utf8JsonReader reader) =>
        new((int)reader.TokenStartIndex + 1, (int)reader.TokenStartIndex + 1 + reader.ValueSpan.Length);

    private static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(utf8, out var rune, out var length) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(rune))
            {
                return false;
            }

            utf8 = utf8[length..];
        }

        return true;
    }

    private static bool TryScanEvent(ReadOnlySpan<byte> line, ref ScannedAccessEvent access)
    {
        var reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        access.Subjects = 0;
        access.HasDecision = false;
        var subjectKeys = 0;
        int keysStart = -1, keysEnd = -1;
        bool schema = false, id = false, time = false, requester = false, resource = false, action = false, decision = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!IsProperty(ref reader))
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            switch (Member.OfEvent(name))
            {
                case Member.Schema:
                    schema = IsPlainString(ref reader) && reader.ValueSpan.SequenceEqual("access-event/1"u8);
                    break;

                case Member.Id:
                    id = TryId(ref reader, out access.Id);
                    break;

                case Member.Time:
                    time = IsPlainString(ref reader) && InterchangeInstant.TryParseUnixTicks(reader.ValueSpan, out access.UnixTicks, out access.SubTick);
                    access.Time = time ? ValueRange(ref reader) : default;
                    break;

                case Member.Requester:
                    requester = reader.TokenType == JsonTokenType.StartObject && TryScanRequester(ref reader, ref access);
                    break;

                case Member.Resource:
                    resource = reader.TokenType == JsonTokenType.StartObject && TryScanResource(ref reader, ref access);
                    break;

                case Member.Subjects:
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        access.Subjects = 0;
                    }
                    else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out access.Subjects) || access.Subjects is < 1 or > AccessEvent.MaxSubjects)
                    {
                        return false;
                    }

                    break;

                case Member.SubjectKeys:
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

                    keysEnd = (int)reader.TokenStartIndex + 1;
                    if (subjectKeys == 0)
                    {
                        return false;
                    }

                    break;

                case Member.Action:
                    action = IsPlainString(ref reader) && reader.ValueSpan.Length > 0;
                    break;

                case Member.Purpose or Member.TraceId:
                    if (!IsOptionalString(ref reader))
                    {
                        return false;
                    }

                    break;

                case Member.Approval:
                    access.ApprovalId = null;
                    if (reader.TokenType != JsonTokenType.Null && (reader.TokenType != JsonTokenType.StartObject || !TryScanApproval(ref reader, ref access)))
                    {
                        return false;
                    }

                    break;

                case Member.Decision:
                    // Absent or null: no recorded decision, as the full parser reads it. A decision the scanner cannot
                    // take sends the line to the full parser even when a later duplicate of the field could be taken.
                    access.HasDecision = reader.TokenType != JsonTokenType.Null;
                    decision &= !access.HasDecision || (reader.TokenType == JsonTokenType.StartObject && TryScanDecision(ref reader, ref access));
                    break;

                default:
                    // Unknown fields are ignored, whatever their value.
                    reader.Skip();
                    break;
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

        if (keysStart >= 0)
        {
            access.SubjectKeys = new Range(keysStart, keysEnd);
            access.SubjectKeyCount = subjectKeys;
        }

        return true;
    }

    private static bool TryScanRequester(ref Utf8JsonReader reader, ref ScannedAccessEvent access)
    {
        Range? requesterId = null;
        var region = false;
        access.RequesterRegion = Region.Unknown;
        access.Organization = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!IsProperty(ref reader))
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            switch (Member.OfRequester(name))
            {
                case Member.Id:
                    if (!IsPlainString(ref reader) || reader.ValueSpan.Length == 0)
                    {
                        return false;
                    }

                    requesterId = ValueRange(ref reader);
                    break;

                case Member.Region:
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

                    break;

                case Member.Organization:
                    if (!TryOptionalString(ref reader, out access.Organization))
                    {
                        return false;
                    }

                    break;

                case Member.Roles:
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

                    break;

                default:
                    reader.Skip();
                    break;
            }
        }

        if (requesterId is null || !region)
        {
            return false;
        }

        access.RequesterId = requesterId.Value;
        return true;
    }

    private static bool TryScanResource(ref Utf8JsonReader reader, ref ScannedAccessEvent access)
    {
        bool id = false, region = false;
        Range? category = null;
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
            switch (Member.OfResource(name))
            {
                case Member.Id:
                    id = TryId(ref reader, out var range);
                    if (!id)
                    {
                        return false;
                    }

                    access.ResourceId = range;
                    break;

                case Member.Type:
                    if (!TryOptionalString(ref reader, out access.Type))
                    {
                        return false;
                    }

                    break;

                case Member.Category:
                    if (!IsPlainString(ref reader))
                    {
                        return false;
                    }

                    category = ValueRange(ref reader);
                    if (IsBlank(reader.ValueSpan))
                    {
                        return false;
                    }

                    break;

                case Member.Region:
                    // The home of the data is always known: ZZ is an input problem.
                    region = IsPlainString(ref reader) && Region.TryParse(reader.ValueSpan, out access.DataRegion) && !access.DataRegion.IsUnknown;
                    if (!region)
                    {
                        return false;
                    }

                    break;

                case Member.StoredIn:
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

                    break;

                default:
                    reader.Skip();
                    break;
            }
        }

        if (!id || !region || category is null)
        {
            return false;
        }

        access.Category = category.Value;
        return true;
    }

    private static bool TryScanApproval(ref Utf8JsonReader reader, ref ScannedAccessEvent access)
    {
        var id = false;
        access.ApprovedBy = null;
        access.ApprovalValidFromTicks = null;
        access.ApprovalValidUntilTicks = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!IsProperty(ref reader))
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            switch (Member.OfApproval(name))
            {
                case Member.Id:
                    id = TryId(ref reader, out var range);
                    if (!id)
                    {
                        return false;
                    }

                    access.ApprovalId = range;
                    break;

                case Member.ApprovedBy:
                    if (!TryOptionalString(ref reader, out access.ApprovedBy))
                    {
                        return false;
                    }

                    break;

                case Member.ValidFrom or Member.ValidUntil:
                    if (!TryInstant(ref reader))
                    {
                        return false;
                    }

                    byte subTick = 0;
                    long? ticks = reader.TokenType == JsonTokenType.Null ? null : InterchangeInstant.TryParseUnixTicks(reader.ValueSpan, out var t, out subTick) ? t : null;
                    access.ApprovalBoundFinerThanTicks |= ticks is not null && subTick != 0;
                    if (Member.OfApproval(name) == Member.ValidFrom)
                    {
                        access.ApprovalValidFromTicks = ticks;
                    }
                    else
                    {
                        access.ApprovalValidUntilTicks = ticks;
                    }

                    break;

                default:
                    reader.Skip();
                    break;
            }
        }

        return id;
    }

    private static bool TryScanDecision(ref Utf8JsonReader reader, ref ScannedAccessEvent access)
    {
        var outcome = false;
        access.CrossBorder = false;
        access.BuiltInFindings = 0;
        access.DecisionPolicy = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (!IsProperty(ref reader))
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            switch (Member.OfDecision(name))
            {
                case Member.Outcome:
                    outcome = IsPlainString(ref reader) && OutcomeNames.TryParse(reader.ValueSpan, out access.Outcome);
                    if (!outcome)
                    {
                        return false;
                    }

                    break;

                case Member.CrossBorder:
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.True: access.CrossBorder = true; break;
                        case JsonTokenType.False:
                        case JsonTokenType.Null: access.CrossBorder = false; break;
                        default: return false;
                    }

                    break;

                case Member.Findings:
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
                        if (!IsPlainString(ref reader) || !Finding.TryGetBuiltIn(reader.ValueSpan, out var finding))
                        {
                            return false;
                        }

                        access.BuiltInFindings |= 1 << finding.BuiltInIndex;
                    }

                    break;

                case Member.Policy:
                    // The last one counts when the field is repeated, as the full parser reads it.
                    if (!TryOptionalString(ref reader, out access.DecisionPolicy))
                    {
                        return false;
                    }

                    break;

                default:
                    reader.Skip();
                    break;
            }
        }

        return outcome;
    }
}
