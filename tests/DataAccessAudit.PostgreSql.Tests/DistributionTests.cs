using System.Text.Json;
using DataAccessAudit.PostgreSql.Reporting;
using DataAccessAudit.PostgreSql.Schema;
using DataAccessAudit.Reporting;
using DataAccessAudit.Testing;
using Npgsql;
using NpgsqlTypes;

namespace DataAccessAudit.PostgreSql.Tests;

// What docs/scaling.md claims of the report's statements, checked on plain PostgreSQL (Citus is not installable
// here): each reads the one records table only (its partitions), joins nothing, and uses no window, no sequence and
// no grouping sets, so that on a table distributed by instance_id each runs as per-shard partial aggregates merged
// by the coordinator. PostgreSQL's own plan is the judge, not the statement's text alone.
public sealed class DistributionTests(PostgreSqlServer server)
{
    private static readonly string[] JoinNodes = ["Nested Loop", "Hash Join", "Merge Join"];
    private static readonly string[] ForbiddenNodes = ["WindowAgg", "Recursive Union", "CTE Scan", "Function Scan"];

    [Fact]
    public async Task Every_report_statement_reads_the_records_table_alone_without_joins_windows_or_sequences()
    {
        var db = await server.CreateDatabaseAsync();
        await Stories.RecordAsync(db, "web", Stories.Events(200, seed: 61));
        var query = new SqlReportQuery(new StoreSchema(PostgreSqlStoreOptions.DefaultSchema), new AccessReportOptions());
        Assert.NotEmpty(query.Statements);

        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var statement in query.Statements)
        {
            foreach (var word in new[] { "nextval", "currval", "grouping sets", "rollup", "cube", " over (", " over(", " join ", "instances" })
            {
                Assert.DoesNotContain(word, statement, StringComparison.OrdinalIgnoreCase);
            }

            var (nodes, relations) = await PlanAsync(connection, statement);
            Assert.True(relations.Count > 0, $"reads a table: {statement}");
            Assert.All(relations, r => Assert.StartsWith("records", r, StringComparison.Ordinal));
            Assert.DoesNotContain(nodes, n => JoinNodes.Contains(n) || ForbiddenNodes.Contains(n));
        }
    }

    // The node types and relation names of the statement's plan, parameters bound as the report binds them.
    private static async Task<(List<string> Nodes, List<string> Relations)> PlanAsync(NpgsqlConnection connection, string statement)
    {
        await using var command = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + statement, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        if (statement.Contains("$4", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = new[] { DateTime.UnixEpoch }, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = new[] { 0L }, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            if (statement.Contains("$5", StringComparison.Ordinal))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = new[] { 0L }, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            }
        }
        else if (statement.Contains("$3", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = new[] { "protected" }, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }

        var plan = JsonDocument.Parse((string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
        var nodes = new List<string>();
        var relations = new List<string>();
        Walk(plan.RootElement[0].GetProperty("Plan"));
        return (nodes, relations);

        void Walk(JsonElement node)
        {
            nodes.Add(node.GetProperty("Node Type").GetString()!);
            if (node.TryGetProperty("Relation Name", out var relation))
            {
                relations.Add(relation.GetString()!);
            }

            if (node.TryGetProperty("Plans", out var children))
            {
                foreach (var child in children.EnumerateArray())
                {
                    Walk(child);
                }
            }
        }
    }
}
