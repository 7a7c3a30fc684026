using System.Text.Json.Nodes;

namespace DataAccessAudit.Tests.Interchange;

// Valid access-event/1 lines, and the same line with one field changed, for the interchange tests.
internal static class EventLines
{
    public const string Minimal =
        """{"schema":"access-event/1","id":"e-1","time":"2021-09-14T07:31:02Z","requester":{"id":"emp-4411","region":"CN"},"resource":{"id":"user/8812/messages","category":"protected","region":"US"},"action":"read"}""";

    public static string With(Action<JsonObject> change)
    {
        var node = JsonNode.Parse(Minimal)!.AsObject();
        change(node);
        return node.ToJsonString();
    }

    public static string WithId(string id) => With(o => o["id"] = id);
}
