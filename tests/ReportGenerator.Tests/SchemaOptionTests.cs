namespace DataAccessAudit.ReportGenerator.Tests;

// --schema is checked by the store's own rule before anything connects: a name the store could never write is a
// usage error saying what a schema name must be.
public sealed class SchemaOptionTests
{
    [Theory]
    [InlineData("verify", "pg_temp")]
    [InlineData("verify", "pg_catalog")]
    [InlineData("report", "pg_mything")]
    public void Schema_BeginningWithPg_ExitsTwoSayingPostgreSqlReservesThePrefix(string command, string schema)
    {
        var run = CommandRun.Of(command, "--postgres", "Host=127.0.0.1;Port=1", "--schema", schema);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: --schema '{schema}': expected lower-case letters", run.Error, StringComparison.Ordinal);
        Assert.Contains("not beginning with 'pg_', which PostgreSQL reserves for its own schemas", run.Error, StringComparison.Ordinal);
    }
}
