using Microsoft.AspNetCore.Mvc.RazorPages;
using DataAccessAudit.AspNetCore.Tests.TestApp;

namespace DataAccessAudit.AspNetCore.Tests.Pages;

/// <summary>A Razor page whose page model declares the access it makes.</summary>
[AuditedAccess("protected", ResourceId = "user/{userId}/page")]
public sealed class SecretModel(HandlerCalls handlers) : PageModel
{
    public string UserId { get; private set; } = string.Empty;

    public void OnGet(string userId)
    {
        handlers.Ran();
        UserId = userId;
    }
}
