namespace DataAccessAudit.PostgreSql.Tests;

// The options' rules checked when the host starts, before anything connects.
public sealed class PostgreSqlStoreOptionsValidatorTests
{
    [Theory]
    [InlineData("pg_temp")]
    [InlineData("pg_catalog")]
    [InlineData("pg_mything")]
    public void A_schema_beginning_with_pg_is_refused_naming_it_and_the_reserved_prefix(string schema)
    {
        var result = new PostgreSqlStoreOptionsValidator().Validate(null, new PostgreSqlStoreOptions { ConnectionString = "Host=db", InstanceId = "web-1", Schema = schema });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith($"PostgreSqlStoreOptions.Schema '{schema}' is not valid: expected lower-case letters", failure, StringComparison.Ordinal);
        Assert.Contains("not beginning with 'pg_', which PostgreSQL reserves for its own schemas", failure, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new PostgreSqlAuditStore("Host=db", schema));
    }

    [Theory]
    [InlineData("pgdata")]
    [InlineData("_pg_x")]
    [InlineData("audit_pg_")]
    public void A_schema_with_pg_elsewhere_is_valid(string schema)
    {
        var result = new PostgreSqlStoreOptionsValidator().Validate(null, new PostgreSqlStoreOptions { ConnectionString = "Host=db", InstanceId = "web-1", Schema = schema });

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
