using DataAccessAudit.PostgreSql;
using DataAccessAudit.PostgreSql.Health;
using DataAccessAudit.PostgreSql.Writing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a health check of the audit's PostgreSQL store.</summary>
public static class PostgreSqlHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks that the audit's PostgreSQL store (as configured by <c>UsePostgreSql</c>) takes this instance's writes:
    /// unhealthy when the database refuses this app's credentials, database or privileges (named as such, distinct
    /// from an outage), cannot be reached, or holds a newer schema version; when the role lacks a privilege the writer
    /// needs (each named with its GRANT); when the instance is chained with another key than this process's; or when
    /// another process holds the instance's writer lock. Degraded while the store is not created yet, or while this
    /// process's writer has lost its lock with its database session.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddDataAccessAuditPostgreSql(this IHealthChecksBuilder builder, string name = "data-access-audit-postgresql", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The writer, when this process writes to the store, is what the check compares the writer lock's holder with.
        builder.Services.AddSingleton(sp => new PostgreSqlStoreHealthCheck(sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>(), sp.GetService<PostgreSqlAccessEventSink>()));
        return builder.Add(new HealthCheckRegistration(name, sp => sp.GetRequiredService<PostgreSqlStoreHealthCheck>(), HealthStatus.Unhealthy, tags));
    }
}
