using Microsoft.AspNetCore.Mvc;

namespace DataAccessAudit.AspNetCore.Tests.TestApp;

/// <summary>A controller audited as public data whose one action reads protected data and says so itself.</summary>
[ApiController]
[Route("api/reports/{userId}")]
[AuditedAccess("public", ResourceId = "reports")]
public sealed class ReportsController(HandlerCalls handlers) : ControllerBase
{
    [HttpGet("summary")]
    public string Summary(string userId) => handlers.Ran() + userId[..0];

    [HttpGet("salary")]
    [AuditedAccess("protected", ResourceId = "user/{userId}/salary")]
    public string Salary(string userId) => handlers.Ran() + userId[..0];
}
