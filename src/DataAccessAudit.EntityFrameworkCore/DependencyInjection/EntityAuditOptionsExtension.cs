using DataAccessAudit.EntityFrameworkCore.Interception;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DataAccessAudit.EntityFrameworkCore.DependencyInjection;

/// <summary>
/// Carries a context's audit settings in its options, where the shared interceptor finds them at run time, and adds
/// the per-context <see cref="ContextAudit"/> to EF Core's services.
/// </summary>
/// <remarks>
/// Every instance asks for the same internal service provider whatever its settings: EF Core builds one provider per
/// distinct set of options and fails after twenty, and the options lambda of <c>AddDbContext</c> runs once per context.
/// </remarks>
internal sealed class EntityAuditOptionsExtension(EntityAccessInterceptor interceptor, AuditSettings settings) : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public EntityAccessInterceptor Interceptor { get; } = interceptor;

    public AuditSettings Settings { get; } = settings;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
        services.AddScoped<ContextAudit>();

        // A pooled context is not disposed but reset when the app lets go of it: EF Core resets its scoped
        // IResettableServices, and the context's audit records then what readers left open had read.
        services.AddScoped<IResettableService>(provider => provider.GetRequiredService<ContextAudit>());
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "DataAccessAudit ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}
