using System.Runtime.InteropServices;
using System.Text;

namespace DataAccessAudit.Reporting.Aggregation;

// The requesters' tallies by id, found from the id's string (records) or from its UTF-8 bytes in a line (the fast
// scanner), so that the scanner needs no cache of its own: a log can hold millions of requesters, and a cache beside
// the tallies held each id a second and third time (its bytes, an entry and a second dictionary), about 120 bytes a
// requester while reading. Each tally holds its id's one string.
//
// Tallies are keyed by the 64-bit hash of the id's UTF-8 bytes (ResourceIdHash), the same from the string and from
// the line. An ASCII id in a line is compared with the tally's string as it is; any other is made a string first and
// looked up as one, so that bytes which decode to the same string (an invalid sequence becomes U+FFFD) count as one
// requester, as they do on the record path. Two ids with the same hash (about 2^-65 a pair) are told apart by their
// strings: the later ones go to a small table by string.
//
// A tally a built report reads as its row is frozen (RequesterTally.Freeze): the table hands out, and merges into, a
// copy that takes its place, so counting after a report was built never changes that report.
internal sealed class RequesterTable
{
    // The hash of the ids' UTF-8 bytes: ResourceIdHash unless a test gives one that collides.
    private readonly Utf8IdHash? _hash;
    private Dictionary<ulong, RequesterTally> _byHash = [];
    private Dictionary<string, RequesterTally>? _collided;

    public RequesterTable()
    {
    }

    // A table hashing ids with another function, for tests of ids whose hashes collide.
    internal RequesterTable(Utf8IdHash hash) => _hash = hash;

    internal delegate ulong Utf8IdHash(ReadOnlySpan<byte> utf8Id);

    public int Count => _byHash.Count + (_collided?.Count ?? 0);

    // The tally of a requester id, created on first sight.
    public RequesterTally Get(string id) => Get(HashOf(id), id);

    // The tally of a requester id given as UTF-8, created (with the id's string) on first sight.
    public RequesterTally Get(ReadOnlySpan<byte> utf8Id)
    {
        if (!Ascii.IsValid(utf8Id))
        {
            return Get(Encoding.UTF8.GetString(utf8Id));
        }

        var hash = _hash is null ? ResourceIdHash.Of(utf8Id) : _hash(utf8Id);
        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_byHash, hash, out var exists);
        if (!exists)
        {
            return tally = new RequesterTally(Encoding.ASCII.GetString(utf8Id));
        }

        return Ascii.Equals(utf8Id, tally!.Id) ? Counting(ref tally) : Collided(Encoding.ASCII.GetString(utf8Id));
    }

    // Every tally, in no particular order.
    public IEnumerable<RequesterTally> Tallies => _collided is null ? _byHash.Values : _byHash.Values.Concat(_collided.Values);

    // Adds the tallies of another table (another worker's) to this one and empties it. The first table merged into an
    // empty one is taken over whole, so merging two workers' tables holds one requester once, not twice.
    public void Merge(RequesterTable other)
    {
        if (Count == 0)
        {
            (_byHash, other._byHash) = (other._byHash, _byHash);
            (_collided, other._collided) = (other._collided, _collided);
            return;
        }

        // Grown once to hold both (the tables of two workers are about the same size), not doubled on the way.
        _byHash.EnsureCapacity(_byHash.Count + other._byHash.Count);
        foreach (var (hash, theirs) in other._byHash)
        {
            Merge(hash, theirs);
        }

        foreach (var theirs in other._collided?.Values ?? Enumerable.Empty<RequesterTally>())
        {
            Merge(HashOf(theirs.Id), theirs);
        }

        other._byHash = [];
        other._collided = null;
    }

    private void Merge(ulong hash, RequesterTally theirs)
    {
        ref var mine = ref CollectionsMarshal.GetValueRefOrAddDefault(_byHash, hash, out var exists);
        if (!exists)
        {
            mine = theirs;
        }
        else if (string.Equals(mine!.Id, theirs.Id, StringComparison.Ordinal))
        {
            Counting(ref mine).Merge(theirs);
        }
        else
        {
            _collided ??= new Dictionary<string, RequesterTally>(StringComparer.Ordinal);
            ref var collided = ref CollectionsMarshal.GetValueRefOrAddDefault(_collided, theirs.Id, out var found);
            if (found)
            {
                Counting(ref collided!).Merge(theirs);
            }
            else
            {
                collided = theirs;
            }
        }
    }

    private ulong HashOf(string id) => _hash is null ? ResourceIdHash.Of(id) : _hash(Encoding.UTF8.GetBytes(id));

    private RequesterTally Get(ulong hash, string id)
    {
        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_byHash, hash, out var exists);
        if (!exists)
        {
            return tally = new RequesterTally(id);
        }

        return string.Equals(tally!.Id, id, StringComparison.Ordinal) ? Counting(ref tally) : Collided(id);
    }

    private RequesterTally Collided(string id)
    {
        _collided ??= new Dictionary<string, RequesterTally>(StringComparer.Ordinal);
        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_collided, id, out var exists);
        return exists ? Counting(ref tally!) : tally = new RequesterTally(id);
    }

    // The tally in a slot, replaced by a copy that counts on when a built report holds it.
    private static RequesterTally Counting(ref RequesterTally tally) => tally.IsFrozen ? tally = tally.Thaw() : tally;
}
