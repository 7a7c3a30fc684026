using Microsoft.AspNetCore.Mvc.RazorPages;
using DataAccessAudit.AspNetCore.Tests.TestApp;

namespace DataAccessAudit.AspNetCore.Tests.Pages;

/// <summary>A Razor page that declares no access: audited only when a test gives one to <c>MapRazorPages()</c>.</summary>
public sealed class OpenModel(HandlerCalls handlers) : PageModel
{
    public string UserId { get; private set; } = string.Empty;

    public void OnGet(string userId)
    {
        handlers.Ran();
        UserId = userId;
    }
}
