using DataAccessAudit.AspNetCore.Endpoints;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

/// <summary>
/// Adds the audited-access filter to every controller action and every Razor page; those without a declaration pass
/// straight through.
/// </summary>
internal sealed class AuditedAccessMvcSetup : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Filters.AddService<AuditedAccessFilter>();
    }
}
