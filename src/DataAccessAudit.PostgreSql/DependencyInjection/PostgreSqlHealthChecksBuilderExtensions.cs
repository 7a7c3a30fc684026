using DataAccessAudit.PostgreSql.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a health check of the audit's PostgreSQL store.</summary>
public static class PostgreSqlHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks that the audit's PostgreSQL store (as configured by <c>UsePostgreSql</c>) can be reached and holds the
    /// schema version this library writes: healthy, degraded while the store is not created yet, unhealthy when the
    /// database is down or newer.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddDataAccessAuditPostgreSql(this IHealthChecksBuilder builder, string name = "data-access-audit-postgresql", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<PostgreSqlStoreHealthCheck>();
        return builder.Add(new HealthCheckRegistration(name, sp => sp.GetRequiredService<PostgreSqlStoreHealthCheck>(), HealthStatus.Unhealthy, tags));
    }
}
