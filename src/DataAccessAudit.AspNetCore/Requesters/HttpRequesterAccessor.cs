using DataAccessAudit.Events;
using Microsoft.AspNetCore.Http;

namespace DataAccessAudit.AspNetCore.Requesters;

/// <summary>The requester of the request in flight, for capture outside the endpoint (a database interceptor).</summary>
internal sealed class HttpRequesterAccessor(IHttpContextAccessor contexts, HttpRequesterResolver requesters) : IRequesterAccessor
{
    public Requester? Requester => contexts.HttpContext is { } context ? requesters.Resolve(context) : null;
}
