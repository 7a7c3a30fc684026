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
    /// Checks that the audit's PostgreSQL store (as configured by <c>UsePostgreSql</c>) can be reached and holds the
    /// schema version this library writes: healthy, degraded while the store is not created yet, unhealthy when the
    /// database is down or newer, or refuses this app's credentials, database or privileges (named as such, distinct
    /// from an outage).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddDataAccessAuditPostgreSql(this IHealthChecksBuilder builder, string name = "data-access-audit-postgresql", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The writer, when this process writes to the store, tells a refusal of its writes that the check's reads would not meet.
        builder.Services.AddSingleton(sp => new PostgreSqlStoreHealthCheck(sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>(), sp.GetService<PostgreSqlAccessEventSink>()));
        return builder.Add(new HealthCheckRegistration(name, sp => sp.GetRequiredService<PostgreSqlStoreHealthCheck>(), HealthStatus.Unhealthy, tags));
    }
}
