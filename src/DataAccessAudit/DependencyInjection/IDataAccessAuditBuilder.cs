using Microsoft.Extensions.DependencyInjection;

namespace DataAccessAudit.DependencyInjection;

/// <summary>Configures the audit: its policy and its sinks. Extension methods hang off it.</summary>
public interface IDataAccessAuditBuilder
{
    /// <summary>Gets the services the audit registers into.</summary>
    IServiceCollection Services { get; }
}
