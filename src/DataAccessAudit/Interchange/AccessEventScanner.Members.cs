using System.Runtime.CompilerServices;

namespace DataAccessAudit.Interchange;

// The scanner's one list of access-event/1's member names, which both of its paths (the compact pass and the reader
// path) classify names by. Each member is a bit, so that the compact pass can keep the set it has seen of one object
// and decline a second occurrence. The classifiers are inlined into the compact pass's loops, as a switch written
// there would be. A name is compared as its raw bytes: an escaped name is no member here, so the
// scanner declines the line and the full parser reads it.
internal static partial class AccessEventScanner
{
    private static class Member
    {
        public const int Schema = 1, Id = 1 << 1, Time = 1 << 2, Requester = 1 << 3, Resource = 1 << 4,
            Subjects = 1 << 5, SubjectKeys = 1 << 6, Action = 1 << 7, Purpose = 1 << 8, TraceId = 1 << 9,
            Approval = 1 << 10, Decision = 1 << 11, Region = 1 << 12, Organization = 1 << 13, Roles = 1 << 14,
            Type = 1 << 15, Category = 1 << 16, StoredIn = 1 << 17, ApprovedBy = 1 << 18, ValidFrom = 1 << 19,
            ValidUntil = 1 << 20, Outcome = 1 << 21, CrossBorder = 1 << 22, Findings = 1 << 23, Policy = 1 << 24;

        // What an event must hold.
        public const int Required = Schema | Id | Time | Requester | Resource | Action;

        // A member of the event object; 0 for a name it does not have. Names are told apart by their length first.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int OfEvent(ReadOnlySpan<byte> name) => name.Length switch
        {
            2 => name.SequenceEqual("id"u8) ? Id : 0,
            4 => name.SequenceEqual("time"u8) ? Time : 0,
            6 => name.SequenceEqual("schema"u8) ? Schema : name.SequenceEqual("action"u8) ? Action : 0,
            7 => name.SequenceEqual("purpose"u8) ? Purpose : name.SequenceEqual("traceId"u8) ? TraceId : 0,
            8 => name.SequenceEqual("resource"u8) ? Resource : name.SequenceEqual("decision"u8) ? Decision :
                name.SequenceEqual("subjects"u8) ? Subjects : name.SequenceEqual("approval"u8) ? Approval : 0,
            9 => name.SequenceEqual("requester"u8) ? Requester : 0,
            11 => name.SequenceEqual("subjectKeys"u8) ? SubjectKeys : 0,
            _ => 0,
        };

        // A member of the requester object; 0 for a name it does not have.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int OfRequester(ReadOnlySpan<byte> name) => name.Length switch
        {
            2 => name.SequenceEqual("id"u8) ? Id : 0,
            5 => name.SequenceEqual("roles"u8) ? Roles : 0,
            6 => name.SequenceEqual("region"u8) ? Region : 0,
            12 => name.SequenceEqual("organization"u8) ? Organization : 0,
            _ => 0,
        };

        // A member of the resource object; 0 for a name it does not have.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int OfResource(ReadOnlySpan<byte> name) => name.Length switch
        {
            2 => name.SequenceEqual("id"u8) ? Id : 0,
            4 => name.SequenceEqual("type"u8) ? Type : 0,
            6 => name.SequenceEqual("region"u8) ? Region : 0,
            8 => name.SequenceEqual("category"u8) ? Category : name.SequenceEqual("storedIn"u8) ? StoredIn : 0,
            _ => 0,
        };

        // A member of the approval object; 0 for a name it does not have.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int OfApproval(ReadOnlySpan<byte> name) => name.Length switch
        {
            2 => name.SequenceEqual("id"u8) ? Id : 0,
            9 => name.SequenceEqual("validFrom"u8) ? ValidFrom : 0,
            10 => name.SequenceEqual("approvedBy"u8) ? ApprovedBy : name.SequenceEqual("validUntil"u8) ? ValidUntil : 0,
            _ => 0,
        };

        // A member of the decision object; 0 for a name it does not have.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int OfDecision(ReadOnlySpan<byte> name) => name.Length switch
        {
            6 => name.SequenceEqual("policy"u8) ? Policy : 0,
            7 => name.SequenceEqual("outcome"u8) ? Outcome : 0,
            8 => name.SequenceEqual("findings"u8) ? Findings : 0,
            11 => name.SequenceEqual("crossBorder"u8) ? CrossBorder : 0,
            _ => 0,
        };
    }
}
