using System.Runtime.CompilerServices;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;

namespace DataAccessAudit.Interchange;

// The first try of the scanner: a line in the compact form writers produce (no whitespace, no escapes, every member
// known to access-event/1 at most once) has its fields found in one pass without a general JSON reader. With no escape
// and no control character in the line every quote starts or ends a string, so QuoteMap finds all the strings' ends
// at once and the pass only checks the structure between them. It accepts a line only when the reader path
// (TryScanEvent) accepts it with the same values; anything it is not sure of (whitespace, a member it does not know,
// a member twice, a number that is not a plain integer, a value of an unexpected type) it declines, and the reader
// path, which decides every line, reads it. Declining costs a line the map and part of a pass, so a file of such
// lines is only a little slower than before; a file of compact lines skips the reader for all of them.
internal static partial class AccessEventScanner
{
    // True when the line is in the compact form and holds an event the reader path takes, scanned into access (which
    // the caller passes cleared); false when the reader path must decide, with access partly written.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryScanCompact(ReadOnlySpan<byte> line, ref ScannedAccessEvent access)
    {
        if (line.Length < 2 || line.Length > QuoteMap.MaxLength || !QuoteMap.IsAccelerated || line[1] != (byte)'"')
        {
            return false;
        }

        Span<ulong> quotes = stackalloc ulong[QuoteMap.WordsFor(line.Length)];
        if (!QuoteMap.TryMap(line, quotes))
        {
            return false;
        }

        var cursor = new CompactCursor(line, quotes);
        return cursor.TryReadEvent(ref access);
    }

    // Where the pass is in the line. Every method leaves _at just past what it read and fails (false) on a byte it
    // does not expect, including the end of the line.
    private ref struct CompactCursor
    {
        private readonly ReadOnlySpan<byte> _line;
        private readonly ReadOnlySpan<ulong> _quotes;
        private int _at;

        public CompactCursor(ReadOnlySpan<byte> line, ReadOnlySpan<ulong> quotes)
        {
            _line = line;
            _quotes = quotes;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryReadEvent(ref ScannedAccessEvent access)
        {
            _at = 1;
            var seen = 0;
            var subjectKeys = 0;
            Range value;
            while (true)
            {
                if (!TryName(out var name))
                {
                    return false;
                }

                var member = Member.OfEvent(name);
                if (member == 0 || (seen & member) != 0)
                {
                    return false;
                }

                seen |= member;
                switch (member)
                {
                    case Member.Schema:
                        if (!TryString(out value) || !_line[value].SequenceEqual("access-event/1"u8))
                        {
                            return false;
                        }

                        break;
                    case Member.Id:
                        if (!TryId(out access.Id))
                        {
                            return false;
                        }

                        break;
                    case Member.Time:
                        if (!TryString(out value) || !InterchangeInstant.TryParseUnixTicks(_line[value], out access.UnixTicks, out access.SubTick))
                        {
                            return false;
                        }

                        access.Time = value;
                        break;
                    case Member.Requester:
                        if (!TryReadRequester(ref access))
                        {
                            return false;
                        }

                        break;
                    case Member.Resource:
                        if (!TryReadResource(ref access))
                        {
                            return false;
                        }

                        break;
                    case Member.Subjects:
                        if (!TryTakeNull() && (!TryPositiveInteger(out access.Subjects) || access.Subjects > AccessEvent.MaxSubjects))
                        {
                            return false;
                        }

                        break;
                    case Member.SubjectKeys:
                        if (!TryTakeNull())
                        {
                            var start = _at;
                            if (!TryStrings(nonEmpty: true, out subjectKeys) || subjectKeys == 0)
                            {
                                return false;
                            }

                            access.SubjectKeys = new Range(start, _at);
                            access.SubjectKeyCount = subjectKeys;
                        }

                        break;
                    case Member.Action:
                        if (!TryId(out _))
                        {
                            return false;
                        }

                        break;
                    case Member.Purpose or Member.TraceId:
                        if (!TryOptionalString(out _))
                        {
                            return false;
                        }

                        break;
                    case Member.Approval:
                        if (!TryTakeNull() && !TryReadApproval(ref access))
                        {
                            return false;
                        }

                        break;
                    default:
                        access.HasDecision = !TryTakeNull();
                        if (access.HasDecision && !TryReadDecision(ref access))
                        {
                            return false;
                        }

                        break;
                }

                if (!TryEndMember(out var end))
                {
                    return false;
                }

                if (end)
                {
                    break;
                }
            }

            if (_at != _line.Length || (seen & Member.Required) != Member.Required)
            {
                return false;
            }

            // Absent subjects: the number of keys, or 1 without keys.
            if (access.Subjects == 0)
            {
                access.Subjects = Math.Max(1, subjectKeys);
            }

            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryReadRequester(ref ScannedAccessEvent access)
        {
            access.RequesterRegion = Region.Unknown;
            access.Organization = null;
            var seen = 0;
            if (!TryTake((byte)'{'))
            {
                return false;
            }

            while (true)
            {
                if (!TryName(out var name))
                {
                    return false;
                }

                var member = Member.OfRequester(name);
                if (member == 0 || (seen & member) != 0)
                {
                    return false;
                }

                seen |= member;
                switch (member)
                {
                    case Member.Id:
                        if (!TryId(out access.RequesterId))
                        {
                            return false;
                        }

                        break;
                    case Member.Region:
                        // Required, but null (like ZZ) means unknown.
                        if (!TryTakeNull() && (!TryString(out var region) || !Region.TryParse(_line[region], out access.RequesterRegion)))
                        {
                            return false;
                        }

                        break;
                    case Member.Organization:
                        if (!TryOptionalString(out access.Organization))
                        {
                            return false;
                        }

                        break;
                    default:
                        if (!TryTakeNull() && !TryStrings(nonEmpty: false, out _))
                        {
                            return false;
                        }

                        break;
                }

                if (!TryEndMember(out var end))
                {
                    return false;
                }

                if (end)
                {
                    return (seen & (Member.Id | Member.Region)) == (Member.Id | Member.Region);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryReadResource(ref ScannedAccessEvent access)
        {
            access.Type = null;
            access.StoredIn = null;
            var seen = 0;
            if (!TryTake((byte)'{'))
            {
                return false;
            }

            while (true)
            {
                if (!TryName(out var name))
                {
                    return false;
                }

                var member = Member.OfResource(name);
                if (member == 0 || (seen & member) != 0)
                {
                    return false;
                }

                seen |= member;
                Range value;
                switch (member)
                {
                    case Member.Id:
                        if (!TryId(out access.ResourceId))
                        {
                            return false;
                        }

                        break;
                    case Member.Type:
                        if (!TryOptionalString(out access.Type))
                        {
                            return false;
                        }

                        break;
                    case Member.Category:
                        if (!TryString(out value) || IsBlank(_line[value]))
                        {
                            return false;
                        }

                        access.Category = value;
                        break;
                    case Member.Region:
                        // The home of the data is always known: ZZ is an input problem.
                        if (!TryString(out value) || !Region.TryParse(_line[value], out access.DataRegion) || access.DataRegion.IsUnknown)
                        {
                            return false;
                        }

                        break;
                    default:
                        if (!TryTakeNull())
                        {
                            if (!TryString(out value) || !Region.TryParse(_line[value], out var storedIn))
                            {
                                return false;
                            }

                            access.StoredIn = storedIn;
                        }

                        break;
                }

                if (!TryEndMember(out var end))
                {
                    return false;
                }

                if (end)
                {
                    return (seen & (Member.Id | Member.Region | Member.Category)) == (Member.Id | Member.Region | Member.Category);
                }
            }
        }

        private bool TryReadApproval(ref ScannedAccessEvent access)
        {
            access.ApprovedBy = null;
            access.ApprovalValidFromTicks = null;
            access.ApprovalValidUntilTicks = null;
            var seen = 0;
            if (!TryTake((byte)'{'))
            {
                return false;
            }

            while (true)
            {
                if (!TryName(out var name))
                {
                    return false;
                }

                var member = Member.OfApproval(name);
                if (member == 0 || (seen & member) != 0)
                {
                    return false;
                }

                seen |= member;
                switch (member)
                {
                    case Member.Id:
                        if (!TryId(out var id))
                        {
                            return false;
                        }

                        access.ApprovalId = id;
                        break;
                    case Member.ApprovedBy:
                        if (!TryOptionalString(out access.ApprovedBy))
                        {
                            return false;
                        }

                        break;
                    default:
                        long? ticks = null;
                        if (!TryTakeNull())
                        {
                            // A bound the full parser reads, in ticks when they hold it (as the reader path takes it).
                            if (!TryString(out var bound) || !InterchangeInstant.TryParse(_line[bound], out _))
                            {
                                return false;
                            }

                            ticks = InterchangeInstant.TryParseUnixTicks(_line[bound], out var t, out var subTick) ? t : null;
                            access.ApprovalBoundFinerThanTicks |= subTick != 0;
                        }

                        if (member == Member.ValidFrom)
                        {
                            access.ApprovalValidFromTicks = ticks;
                        }
                        else
                        {
                            access.ApprovalValidUntilTicks = ticks;
                        }

                        break;
                }

                if (!TryEndMember(out var end))
                {
                    return false;
                }

                if (end)
                {
                    return (seen & Member.Id) != 0;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryReadDecision(ref ScannedAccessEvent access)
        {
            access.CrossBorder = false;
            access.BuiltInFindings = 0;
            access.DecisionPolicy = null;
            var seen = 0;
            if (!TryTake((byte)'{'))
            {
                return false;
            }

            while (true)
            {
                if (!TryName(out var name))
                {
                    return false;
                }

                var member = Member.OfDecision(name);
                if (member == 0 || (seen & member) != 0)
                {
                    return false;
                }

                seen |= member;
                switch (member)
                {
                    case Member.Outcome:
                        if (!TryString(out var outcome) || !OutcomeNames.TryParse(_line[outcome], out access.Outcome))
                        {
                            return false;
                        }

                        break;
                    case Member.CrossBorder:
                        if (TryTakeLiteral("true"u8))
                        {
                            access.CrossBorder = true;
                        }
                        else if (!TryTakeLiteral("false"u8) && !TryTakeNull())
                        {
                            return false;
                        }

                        break;
                    case Member.Findings:
                        if (!TryTakeNull() && !TryFindings(ref access.BuiltInFindings))
                        {
                            return false;
                        }

                        break;
                    default:
                        if (!TryOptionalString(out access.DecisionPolicy))
                        {
                            return false;
                        }

                        break;
                }

                if (!TryEndMember(out var end))
                {
                    return false;
                }

                if (end)
                {
                    return (seen & Member.Outcome) != 0;
                }
            }
        }

        // An array of built-in findings' names, possibly empty, as bits.
        private bool TryFindings(ref int findings)
        {
            if (!TryTake((byte)'['))
            {
                return false;
            }

            if (TryTake((byte)']'))
            {
                return true;
            }

            while (true)
            {
                if (!TryString(out var name) || !Finding.TryGetBuiltIn(_line[name], out var finding))
                {
                    return false;
                }

                findings |= 1 << finding.BuiltInIndex;
                if (TryTake((byte)']'))
                {
                    return true;
                }

                if (!TryTake((byte)','))
                {
                    return false;
                }
            }
        }

        // An array of strings, possibly empty, each non-empty when asked; how many it holds.
        private bool TryStrings(bool nonEmpty, out int count)
        {
            count = 0;
            if (!TryTake((byte)'['))
            {
                return false;
            }

            if (TryTake((byte)']'))
            {
                return true;
            }

            while (true)
            {
                if (!TryString(out var value) || (nonEmpty && value.Start.Value == value.End.Value))
                {
                    return false;
                }

                count++;
                if (TryTake((byte)']'))
                {
                    return true;
                }

                if (!TryTake((byte)','))
                {
                    return false;
                }
            }
        }

        // A member's name (plain, as every string here) and the colon after it.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool TryName(out ReadOnlySpan<byte> name)
        {
            name = default;
            if (!TryString(out var range) || !TryTake((byte)':'))
            {
                return false;
            }

            name = _line[range];
            return true;
        }

        // After a member's value: a comma (more members follow, end false) or the object's closing brace (end true).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool TryEndMember(out bool end)
        {
            end = false;
            if ((uint)_at >= (uint)_line.Length)
            {
                return false;
            }

            var next = _line[_at++];
            end = next == (byte)'}';
            return end || next == (byte)',';
        }

        // A string: the range of its bytes between the quotes.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool TryString(out Range value)
        {
            value = default;
            if ((uint)_at >= (uint)_line.Length || _line[_at] != (byte)'"')
            {
                return false;
            }

            var end = QuoteMap.Next(_quotes, _at + 1);
            if (end < 0)
            {
                return false;
            }

            value = new Range(_at + 1, end);
            _at = end + 1;
            return true;
        }

        // A non-empty string.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool TryId(out Range value) => TryString(out value) && value.End.Value > value.Start.Value;

        // A string, or null for a JSON null.
        private bool TryOptionalString(out Range? value)
        {
            value = null;
            if (TryTakeNull())
            {
                return true;
            }

            if (!TryString(out var range))
            {
                return false;
            }

            value = range;
            return true;
        }

        // A positive integer as TryGetInt64 reads it, declined when it has a sign, a leading zero, a fraction, an
        // exponent or more than 18 digits (the reader path decides those).
        private bool TryPositiveInteger(out long value)
        {
            value = 0;
            var end = _at;
            while (end < _line.Length && _line[end] - (uint)'0' <= 9)
            {
                value = (value * 10) + (_line[end] - '0');
                end++;
            }

            var digits = end - _at;
            if (digits == 0 || digits > 18 || _line[_at] == (byte)'0')
            {
                return false;
            }

            _at = end;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool TryTakeNull() => TryTakeLiteral("null"u8);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool TryTakeLiteral(ReadOnlySpan<byte> literal)
        {
            if (!_line[_at..].StartsWith(literal))
            {
                return false;
            }

            _at += literal.Length;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool TryTake(byte expected)
        {
            if ((uint)_at >= (uint)_line.Length || _line[_at] != expected)
            {
                return false;
            }

            _at++;
            return true;
        }
    }
}
