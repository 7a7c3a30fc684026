using DataAccessAudit.AspNetCore.Endpoints;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

/// <summary>
/// Adds the audited-access action filter to every controller action and the page filter to every Razor page; those
/// without a declaration pass straight through.
/// </summary>
internal sealed class AuditedAccessMvcSetup : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Filters.AddService<AuditedAccessActionFilter>();
        options.Filters.AddService<AuditedAccessPageFilter>();
    }
}
