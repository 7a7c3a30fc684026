using DataAccessAudit.EntityFrameworkCore.Tests.TestData;
using DataAccessAudit.Policy;
using DataAccessAudit.Testing;

namespace DataAccessAudit.EntityFrameworkCore.Tests.Interception;

/// <summary>Against a real PostgreSQL server (Npgsql's EF Core provider), a fresh database per test.</summary>
public sealed class PostgreSqlEntityAccessInterceptorTests(PostgreSqlServer server) : EntityAccessInterceptorTests, IClassFixture<PostgreSqlServer>
{
    protected override async Task<ChatDatabase> OpenAsync(PolicyMode mode = PolicyMode.Audit, Action<EntityAuditOptions>? configure = null) =>
        new(mode, configure, await server.CreateDatabaseAsync());
}
