using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataAccessAudit.Log;
using DataAccessAudit.PostgreSql.Verification;
using DataAccessAudit.Testing;
using Npgsql;
using static DataAccessAudit.PostgreSql.Tests.StoreTables;

namespace DataAccessAudit.PostgreSql.Tests;

// What the chain alone cannot show (rows cut off an instance's end with its head row moved back, an instance deleted
// with its head row, an unkeyed instance rewritten to its end), and how heads kept from an earlier verify show it.
public sealed class KeptHeadsTests(PostgreSqlServer server)
{
    private const string Key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // 32 bytes, base64

    private static readonly Dictionary<string, byte[]> Keys = new() { ["k1"] = Convert.FromBase64String(Key) };

    [Fact]
    public async Task VerifyAsync_since_kept_heads_finds_the_last_rows_cut_with_the_head_row_moved_back()
    {
        var db = await StoreAsync(keyed: true, "web-1", "web-2");
        var kept = (await VerifyAsync(db, Keys)).Heads;
        // Only SQL, no key: the head row holds a plain copy of the chain value of the row it points to.
        await ExecuteAsync(db, $"""
            DELETE FROM {Records} WHERE instance_id = 'web-1' AND seq > 25;
            UPDATE {Instances} i SET last_seq = 25, last_chain = decode(substring(r.record::text from '"chain":"([0-9a-f]+)"'), 'hex')
            FROM {Records} r WHERE r.instance_id = 'web-1' AND r.seq = 25 AND i.instance_id = 'web-1'
            """);

        var alone = await VerifyAsync(db, Keys);
        var since = await VerifyAsync(db, Keys, kept);

        Assert.True(alone.IsIntact, "the chain alone cannot see a cut end whose head row was moved back with it");
        Assert.Equal(LogVerdict.Broken, since.Verdict);
        var broken = since.Instances.Single(i => i.InstanceId == "web-1").Break!;
        Assert.Equal(LogBreakKind.Deleted, broken.Kind);
        Assert.Equal(26, broken.Sequence);
        Assert.Contains("records 26 to 30 are missing: the kept head has the instance up to sequence 30", broken.Message, StringComparison.Ordinal);
        Assert.True(since.Instances.Single(i => i.InstanceId == "web-2").IsIntact);
    }

    [Fact]
    public async Task VerifyAsync_since_kept_heads_finds_an_instance_deleted_with_its_head_row()
    {
        var db = await StoreAsync(keyed: true, "web-1", "web-2");
        var kept = (await VerifyAsync(db, Keys)).Heads;
        await ExecuteAsync(db, $"DELETE FROM {Records} WHERE instance_id = 'web-2'; DELETE FROM {Instances} WHERE instance_id = 'web-2'");

        var alone = await VerifyAsync(db, Keys);
        var since = await VerifyAsync(db, Keys, kept);

        Assert.True(alone.IsIntact, "the chain alone cannot see an instance deleted whole");
        Assert.Equal(["web-1", "web-2"], since.Instances.Select(i => i.InstanceId));
        var gone = since.Instances.Single(i => i.InstanceId == "web-2");
        Assert.Equal(LogBreakKind.Deleted, gone.Break!.Kind);
        Assert.Equal("postgresql:web-2", gone.Break.Segment);
        Assert.Contains("the instance is gone: the kept head has it up to sequence 30", gone.Break.Message, StringComparison.Ordinal);
        Assert.StartsWith("broken: 2 instances", since.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_since_kept_heads_finds_an_unkeyed_instance_rewritten_to_its_end()
    {
        var db = await StoreAsync(keyed: false, "web");
        var kept = (await VerifyAsync(db, keys: null)).Heads;
        // The editor changes the last record and recomputes its link and the head row, as anyone can without a key.
        var (previous, line) = await ReadLinesAsync(db, 29, 30);
        var body = line.Replace("\"emp-", "\"EMP-", StringComparison.Ordinal);
        body = body[..body.LastIndexOf(",\"chain\":", StringComparison.Ordinal)] + "}";
        var previousChain = Convert.FromHexString(JsonDocument.Parse(previous).RootElement.GetProperty("chain").GetString()!);
        var link = SHA256.HashData([.. previousChain, .. Encoding.UTF8.GetBytes(body)]);
        var forged = body[..^1] + ",\"chain\":\"" + Convert.ToHexStringLower(link) + "\"}";
        await ExecuteAsync(db, $"UPDATE {Records} SET record = $1::json, requester_id = upper(requester_id) WHERE seq = 30", forged);
        await ExecuteAsync(db, $"UPDATE {Instances} SET last_chain = $1", link);

        var alone = await VerifyAsync(db, keys: null);
        var since = await VerifyAsync(db, keys: null, kept);

        Assert.True(alone.IsIntact, alone.ToString());
        var broken = since.Instances.Single().Break!;
        Assert.Equal(LogBreakKind.Modified, broken.Kind);
        Assert.Equal(30, broken.Sequence);
        Assert.Contains("differs from the kept head's", broken.Message, StringComparison.Ordinal);
        // The broken record is counted neither as a record nor as an event: the totals are of what verified.
        Assert.Equal((29, 29), (since.Instances.Single().Records, since.Instances.Single().Events));
        Assert.StartsWith("broken: 1 instance, 29 records (29 events), checked against 1 kept head", since.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instance_verified_without_its_key_is_called_unverified_never_intact()
    {
        var db = await StoreAsync(keyed: true, "web-1");

        var result = await VerifyAsync(db, keys: null);

        Assert.StartsWith("web-1: unverified (links not checked without its key), 30 records (30 events) up to sequence 30", result.Instances.Single().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_since_kept_heads_accepts_a_store_that_only_grew()
    {
        var db = await StoreAsync(keyed: true, "web-1");
        var kept = (await VerifyAsync(db, Keys)).Heads;
        using (var sink = Stories.Sink(db, "web-1", keyId: "k1", key: Key))
        {
            await sink.WriteAsync(Stories.Decided(Stories.Events(5, seed: 31, prefix: "more")), TestContext.Current.CancellationToken);
        }

        using (var sink = Stories.Sink(db, "web-3", keyId: "k1", key: Key))
        {
            await sink.WriteAsync(Stories.Decided(Stories.Events(5, seed: 32)), TestContext.Current.CancellationToken);
        }

        var since = await VerifyAsync(db, Keys, kept);

        Assert.True(since.IsIntact, since.ToString());
        Assert.Equal("verified: 2 instances, 40 records (40 events), keyed, extends the 1 kept head", since.ToString());
        Assert.Equal(35, since.Heads.Instances.Single(h => h.InstanceId == "web-1").LastSequence);
    }

    [Fact]
    public async Task Heads_name_each_instance_with_the_chain_value_of_its_last_record_and_read_back_from_their_json()
    {
        var db = await StoreAsync(keyed: true, "web-2", "web-1");
        var result = await VerifyAsync(db, Keys);
        var (_, last) = await ReadLinesAsync(db, 29, 30);

        var heads = PostgreSqlStoreHeads.Parse(result.Heads.ToJson());

        Assert.Equal(["web-1", "web-2"], heads.Instances.Select(h => h.InstanceId));
        Assert.All(heads.Instances, h => Assert.Equal(30, h.LastSequence));
        Assert.Contains(JsonDocument.Parse(last).RootElement.GetProperty("chain").GetString(), heads.Instances.Select(h => h.LastChain));
        Assert.Equal(result.Heads.ToJson(), heads.ToJson());
        Assert.StartsWith("{\"schema\":\"access-store-heads/1\",\"instances\":[\n  {\"instanceId\":\"web-1\",\"lastSequence\":30,\"lastChain\":\"", heads.ToJson(), StringComparison.Ordinal);
        Assert.Contains($"web-1: verified, 30 records (30 events) up to sequence 30, chain {heads.Instances[0].LastChain}", result.Instances[0].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("access-log/1 checkpoint\n", "not JSON")]
    [InlineData("[]", "it has no \"schema\" member")]
    [InlineData("{\"schema\":\"access-report/1\"}", "its schema is \"access-report/1\", expected \"access-store-heads/1\"")]
    [InlineData("{\"schema\":\"access-store-heads/1\"}", "\"instances\": expected an array")]
    [InlineData("{\"schema\":\"access-store-heads/1\",\"instances\":[{\"instanceId\":\"a\",\"lastSequence\":-1,\"lastChain\":\"\"}]}", "\"instances\"[0].lastSequence: expected a whole number from 0")]
    [InlineData("{\"schema\":\"access-store-heads/1\",\"instances\":[{\"instanceId\":\"a\",\"lastSequence\":1,\"lastChain\":\"AB\"}]}", "\"instances\"[0].lastChain: The chain value must be 64 lower-case hex digits.")]
    [InlineData("{\"schema\":\"access-store-heads/1\",\"instances\":[{\"instanceId\":\"a\",\"lastSequence\":0,\"lastChain\":\"1000000000000000000000000000000000000000000000000000000000000000\"}]}", "last sequence 0")]
    [InlineData("{\"schema\":\"access-store-heads/1\",\"instances\":[{\"instanceId\":\"a\",\"lastSequence\":0,\"lastChain\":\"0000000000000000000000000000000000000000000000000000000000000000\"},{\"instanceId\":\"a\",\"lastSequence\":0,\"lastChain\":\"0000000000000000000000000000000000000000000000000000000000000000\"}]}", "The instance 'a' has two heads.")]
    [InlineData("{\"schema\":\"access-store-heads/1\",\"instances\":[{\"instanceId\":\"a\",\"lastSequence\":0,\"lastChain\":\"0000000000000000000000000000000000000000000000000000000000000000\"}],\"instances\":[]}", "instances (line 1, byte 163): given twice")]
    [InlineData("{\"schema\":\"access-store-heads/\\ud800\",\"instances\":[]}", "escaped surrogate without its pair")]
    [InlineData("{\"schema\":\"access-store-heads/1\",\"instances\":[{\"instanceId\":\"a\\udfff\",\"lastSequence\":0,\"lastChain\":\"\"}]}", "escaped surrogate without its pair")]
    public void Parse_refuses_what_is_not_a_store_heads_document_saying_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PostgreSqlStoreHeads.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> StoreAsync(bool keyed, params string[] instances)
    {
        var db = await server.CreateDatabaseAsync();
        foreach (var instance in instances)
        {
            using var sink = Stories.Sink(db, instance, keyId: keyed ? "k1" : null, key: keyed ? Key : null);
            await sink.WriteAsync(Stories.Decided(Stories.Events(30, seed: 30)), TestContext.Current.CancellationToken);
        }

        return db;
    }

    private static async Task<PostgreSqlVerificationResult> VerifyAsync(string db, IReadOnlyDictionary<string, byte[]>? keys, PostgreSqlStoreHeads? since = null)
    {
        await using var store = new PostgreSqlAuditStore(db);
        return await store.VerifyAsync(keys, since, TestContext.Current.CancellationToken);
    }
}
