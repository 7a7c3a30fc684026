using Microsoft.AspNetCore.Mvc;

namespace DataAccessAudit.AspNetCore.Tests.TestApp;

/// <summary>A controller whose contacts action is audited and whose name action is not.</summary>
[ApiController]
[Route("api/users/{userId}")]
public sealed class UsersController(HandlerCalls handlers) : ControllerBase
{
    [HttpGet("contacts")]
    [AuditedAccess("protected", ResourceId = "user/{userId}/contacts", ResourceType = "contact-list", DataRegion = "US")]
    public string Contacts(string userId) => handlers.Ran() + userId[..0];

    [HttpGet("name")]
    public string Name(string userId) => handlers.Ran() + userId[..0];
}

/// <summary>A controller audited as a whole, whose actions inherit the declaration.</summary>
[ApiController]
[Route("api/backups")]
[AuditedAccess("protected", ResourceId = "backups", StoredIn = "SG")]
public sealed class BackupsController(HandlerCalls handlers) : ControllerBase
{
    [HttpGet]
    public string List() => handlers.Ran();
}
