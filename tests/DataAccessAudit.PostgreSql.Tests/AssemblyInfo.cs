using DataAccessAudit.Testing;

[assembly: AssemblyFixture(typeof(PostgreSqlServer))]
