using DataAccessAudit.EntityFrameworkCore.Tests.TestData;
using DataAccessAudit.Policy;

namespace DataAccessAudit.EntityFrameworkCore.Tests.Interception;

/// <summary>Against a real SQLite file.</summary>
public sealed class SqliteEntityAccessInterceptorTests : EntityAccessInterceptorTests
{
    protected override Task<ChatDatabase> OpenAsync(PolicyMode mode = PolicyMode.Audit, Action<EntityAuditOptions>? configure = null) =>
        Task.FromResult(new ChatDatabase(mode, configure));
}
