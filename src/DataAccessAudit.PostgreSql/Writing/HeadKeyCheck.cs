using System.Text;
using DataAccessAudit.Log;
using DataAccessAudit.PostgreSql.Schema;
using Npgsql;

namespace DataAccessAudit.PostgreSql.Writing;

// Whether a chain key is the one an instance's records were chained with. The same key id can name another key (a
// key file regenerated under the old id): the key id check passes, and every record chained on with it would read as
// forged to a verifier holding the instance's real key. So the writer, before it writes, and the health check
// recompute the head record's link, as InstanceChainVerifier does, from the record before it (32 zero bytes before
// sequence 1): two rows read by their primary key and one hash, cheap enough for every health probe. Rows that cannot
// be read (a dropped partition) are not held against the key here: verification reports them.
internal static class HeadKeyCheck
{
    // What the writer and the health check both say of a key the writer refuses.
    public const string Remedy = "An instance keeps the key it started with: configure that key, or give this process a new PostgreSqlStoreOptions.InstanceId for the new key.";

    // Why a process configured with key id configured may not write under an instance the store holds with key id
    // stored (either null: unkeyed); null when the ids are the same.
    public static string? OtherKeyId(string instanceId, string? stored, string? configured) =>
        string.Equals(stored, configured, StringComparison.Ordinal) ? null
        : $"Audit instance '{instanceId}' is chained with key id {Describe(stored)} in the database, but this process is configured with key id {Describe(configured)}";

    // Why a key that does not reproduce the head record's link (ReproducesAsync false) is refused.
    public static string ReplacedKey(string instanceId, string keyId, long headSeq) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"Audit instance '{instanceId}' is chained with key id '{keyId}' in the database, but this process's key for '{keyId}' does not reproduce its last record's link (sequence number {headSeq}): the key was replaced, or that record was changed (access-report verify --postgres with the instance's key tells which)");

    // False when the key does not reproduce the link of the head record at headSeq; true when it does, when the
    // chain is unkeyed or empty, or when the rows cannot be read.
    public static async Task<bool> ReproducesAsync(NpgsqlConnection connection, StoreSchema schema, string instanceId, long headSeq, ChainHasher hasher, CancellationToken cancellationToken)
    {
        if (hasher.KeyId is null || headSeq == 0)
        {
            return true;
        }

        await using var rows = new NpgsqlCommand($"SELECT seq, record::text FROM {schema.Records} WHERE instance_id = $1 AND seq IN ($2, $3) ORDER BY seq, written", connection);
        rows.Parameters.Add(new NpgsqlParameter { Value = instanceId });
        rows.Parameters.Add(new NpgsqlParameter { Value = headSeq - 1 });
        rows.Parameters.Add(new NpgsqlParameter { Value = headSeq });
        byte[]? previousLine = null;
        byte[]? headLine = null;
        await using (var reader = await rows.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var line = Encoding.UTF8.GetBytes(reader.GetString(1));
                if (reader.GetInt64(0) == headSeq)
                {
                    headLine = line;
                }
                else
                {
                    previousLine = line;
                }
            }
        }

        return headLine is null || Reproduces(previousLine, headLine, headSeq, hasher);
    }

    // Outside the async method: the line's prefix is a span, which cannot live across an await.
    private static bool Reproduces(byte[]? previousLine, byte[] headLine, long headSeq, ChainHasher hasher)
    {
        var previous = new byte[ChainHasher.Size];
        var stored = new byte[ChainHasher.Size];
        var link = new byte[ChainHasher.Size];
        if ((headSeq > 1 && (previousLine is null || !LogFormat.TrySplitChain(previousLine, out _, previous))) ||
            !LogFormat.TrySplitChain(headLine, out var prefix, stored))
        {
            return true;
        }

        hasher.LinkPrefix(previous, prefix, link);
        return link.AsSpan().SequenceEqual(stored);
    }

    private static string Describe(string? keyId) => keyId is null ? "none (unkeyed)" : $"'{keyId}'";
}
