using Microsoft.Extensions.DependencyInjection;

namespace DataAccessAudit.DependencyInjection;

internal sealed class DataAccessAuditBuilder(IServiceCollection services) : IDataAccessAuditBuilder
{
    public IServiceCollection Services { get; } = services;
}
