using System.Runtime.InteropServices;
using System.Text;

namespace DataAccessAudit.Reporting.Aggregation;

// Turns UTF-8 bytes into a string once per distinct value: categories, resource types and approvers repeat across
// millions of lines, so the fast scanner looks them up by their bytes instead of allocating a string per
// line. Memory is proportional to the distinct values, as the report's own tables are.
internal sealed class Utf8StringCache
{
    private readonly Dictionary<ulong, Entry> _entries = [];

    public string Get(ReadOnlySpan<byte> utf8) => GetEntry(utf8).Value;

    public Entry GetEntry(ReadOnlySpan<byte> utf8)
    {
        var hash = ResourceIdHash.Of(utf8);
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, hash, out var exists);
        if (exists)
        {
            for (var e = entry; e is not null; e = e.Next)
            {
                if (utf8.SequenceEqual(e.Utf8))
                {
                    return e;
                }
            }
        }

        var value = Encoding.UTF8.GetString(utf8);
        entry = new Entry(utf8.ToArray(), value, exists ? entry : null);
        return entry;
    }

    public sealed class Entry(byte[] utf8, string value, Entry? next)
    {
        public byte[] Utf8 { get; } = utf8;

        public string Value { get; } = value;

        public Entry? Next { get; } = next;
    }
}
