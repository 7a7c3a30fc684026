using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataAccessAudit.Log;
using DataAccessAudit.Reporting;
using DataAccessAudit.Testing;
using Npgsql;
using static DataAccessAudit.PostgreSql.Tests.StoreTables;

namespace DataAccessAudit.PostgreSql.Tests;

// Every way someone with write access to the tables can alter the trail, and the break verify names for it.
public sealed class TamperingTests(PostgreSqlServer server)
{
    private const string Key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // 32 bytes, base64

    public static TheoryData<string, string, LogBreakKind, long> Tamperings => new()
    {
        { "an event's recorded JSON edited", $"UPDATE {Records} SET record = replace(record::text, '\"emp-', '\"EMP-')::json WHERE seq = 10", LogBreakKind.Modified, 10 },
        { "a typed column edited (what SQL reports count)", $"UPDATE {Records} SET outcome = 'allowed', findings = '{{}}' WHERE seq = 10", LogBreakKind.Modified, 10 },
        { "the event time column moved", $"UPDATE {Records} SET time = time + interval '1 day' WHERE seq = 12", LogBreakKind.Modified, 12 },
        { "a row deleted", $"DELETE FROM {Records} WHERE seq = 10", LogBreakKind.Deleted, 10 },
        { "the last rows deleted", $"DELETE FROM {Records} WHERE seq >= 29", LogBreakKind.Deleted, 29 },
        { "a row inserted twice", $"INSERT INTO {Records} SELECT instance_id, seq, written + interval '1 microsecond', type, time, requester_id, requester_region, category, data_region, stored_in, resource_id, resource_type, subjects, outcome, cross_border, findings, record FROM {Records} WHERE seq = 10", LogBreakKind.Inserted, 11 },
        { "two rows' numbers swapped", $"UPDATE {Records} SET seq = -seq WHERE seq IN (10, 11); UPDATE {Records} SET seq = CASE seq WHEN -10 THEN 11 ELSE 10 END WHERE seq IN (-10, -11)", LogBreakKind.Modified, 10 },
        { "a row moved to another instance", $"UPDATE {Records} SET instance_id = 'other' WHERE seq = 10", LogBreakKind.Deleted, 10 },
        { "the head moved back", "UPDATE data_access_audit.instances SET last_seq = 25", LogBreakKind.Inserted, 26 },
        { "the head moved on", "UPDATE data_access_audit.instances SET last_seq = 31", LogBreakKind.Deleted, 31 },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Verify_names_every_kind_of_tampering(string what, string sql, LogBreakKind kind, long sequence)
    {
        var db = await StoreWith30EventsAsync(keyed: false);
        await ExecuteAsync(db, sql);

        var result = await VerifyAsync(db, keys: null);

        Assert.False(result.IsIntact, what);
        Assert.Equal(IntegrityStatus.Broken, result.Status);
        var broken = result.Instances.Single(i => i.InstanceId == "web").Break!;
        Assert.Equal(kind, broken.Kind);
        Assert.Equal(sequence, broken.Sequence);
        Assert.Equal("postgresql:web", broken.Segment);
    }

    [Fact]
    public async Task Rows_under_an_instance_id_no_writer_registered_are_inserted()
    {
        var db = await StoreWith30EventsAsync(keyed: false);
        await ExecuteAsync(db, $"INSERT INTO {Records} SELECT 'ghost', seq, written, type, time, requester_id, requester_region, category, data_region, stored_in, resource_id, resource_type, subjects, outcome, cross_border, findings, record FROM {Records} WHERE seq = 3");

        var result = await VerifyAsync(db, keys: null);

        var ghost = Assert.Single(result.Instances, i => i.InstanceId == "ghost");
        Assert.Equal(LogBreakKind.Inserted, ghost.Break!.Kind);
        Assert.True(result.Instances.Single(i => i.InstanceId == "web").IsIntact);
    }

    [Fact]
    public async Task A_keyed_row_rewritten_with_a_recomputed_plain_chain_is_forged_without_key()
    {
        var db = await StoreWith30EventsAsync(keyed: true);

        // The attacker edits row 5 and recomputes its link with SHA-256, the best anyone without the key can do.
        var (previous, line) = await ReadLinesAsync(db, 4, 5);
        // access-log/1: an unkeyed link is SHA-256 over the previous link and the line without its chain member.
        var body = line.Replace("\"emp-", "\"EMP-", StringComparison.Ordinal);
        body = body[..body.LastIndexOf(",\"chain\":", StringComparison.Ordinal)] + "}";
        var previousChain = Convert.FromHexString(JsonDocument.Parse(previous).RootElement.GetProperty("chain").GetString()!);
        var link = SHA256.HashData([.. previousChain, .. Encoding.UTF8.GetBytes(body)]);
        var forged = body[..^1] + ",\"chain\":\"" + Convert.ToHexStringLower(link) + "\"}";
        await ExecuteAsync(db, $"UPDATE {Records} SET record = $1::json, requester_id = upper(requester_id) WHERE seq = 5", forged);

        var result = await VerifyAsync(db, new Dictionary<string, byte[]> { ["k1"] = Convert.FromBase64String(Key) });

        Assert.Equal(LogBreakKind.ForgedWithoutKey, result.Instances[0].Break!.Kind);
        Assert.Equal(5, result.Instances[0].Break!.Line);
    }

    [Fact]
    public async Task A_keyed_store_verifies_with_its_key_and_is_unverified_without_it()
    {
        var db = await StoreWith30EventsAsync(keyed: true);

        var withKey = await VerifyAsync(db, new Dictionary<string, byte[]> { ["k1"] = Convert.FromBase64String(Key) });
        var withoutKey = await VerifyAsync(db, keys: null);

        Assert.True(withKey.IsIntact, withKey.ToString());
        Assert.Equal(LogVerdict.Verified, withKey.Verdict);
        Assert.Equal(IntegrityStatus.Verified, withKey.Status);
        Assert.Equal(LogVerdict.Unverified, withoutKey.Verdict);
        Assert.Equal(IntegrityStatus.Unverified, withoutKey.Status);
        Assert.Null(withoutKey.Instances[0].Break);
    }

    [Fact]
    public async Task Without_the_key_a_deleted_row_is_still_found()
    {
        var db = await StoreWith30EventsAsync(keyed: true);
        await ExecuteAsync(db, $"DELETE FROM {Records} WHERE seq = 7");

        var result = await VerifyAsync(db, keys: null);

        Assert.Equal(LogVerdict.Broken, result.Verdict);
        Assert.Equal(LogBreakKind.Deleted, result.Instances[0].Break!.Kind);
        Assert.Equal(7, result.Instances[0].Break!.Sequence);
    }

    [Fact]
    public async Task An_intact_unkeyed_store_is_verified_unkeyed()
    {
        var db = await StoreWith30EventsAsync(keyed: false);

        var result = await VerifyAsync(db, keys: null);

        Assert.Equal(LogVerdict.VerifiedUnkeyed, result.Verdict);
        Assert.Equal("verified-unkeyed", result.VerdictName);
        Assert.Equal(IntegrityStatus.VerifiedUnkeyed, result.Status);
    }

    [Fact]
    public async Task An_unkeyed_store_checked_with_keys_is_reported_as_possibly_rewritten()
    {
        var db = await StoreWith30EventsAsync(keyed: false);

        var result = await VerifyAsync(db, new Dictionary<string, byte[]> { ["k1"] = Convert.FromBase64String(Key) });

        Assert.Equal(LogBreakKind.ForgedWithoutKey, result.Instances[0].Break!.Kind);
        Assert.Equal(IntegrityStatus.Broken, result.Status);
    }

    private async Task<string> StoreWith30EventsAsync(bool keyed)
    {
        var db = await server.CreateDatabaseAsync();
        using var sink = Stories.Sink(db, "web", keyId: keyed ? "k1" : null, key: keyed ? Key : null);
        var records = Stories.Decided(Stories.Events(30, seed: 30));
        await sink.WriteAsync(records.AsMemory(0, 12), TestContext.Current.CancellationToken);
        await sink.WriteAsync(records.AsMemory(12), TestContext.Current.CancellationToken);
        return db;
    }

    private static async Task<Verification.PostgreSqlVerificationResult> VerifyAsync(string db, IReadOnlyDictionary<string, byte[]>? keys)
    {
        await using var store = new PostgreSqlAuditStore(db);
        return await store.VerifyAsync(keys, cancellationToken: TestContext.Current.CancellationToken);
    }
}
