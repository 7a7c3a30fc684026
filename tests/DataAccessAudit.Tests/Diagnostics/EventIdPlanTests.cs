using System.Reflection;
using DataAccessAudit.Events;
using Microsoft.Extensions.Logging;

namespace DataAccessAudit.Tests.Diagnostics;

// Alert rules match on event ids, so they follow one plan (docs/telemetry.md, "Logs"): a block per area, declared
// in that area's <Area>Messages class, and no id used twice.
public sealed class EventIdPlanTests
{
    private static readonly Dictionary<string, (int First, int Last)> Blocks = new(StringComparer.Ordinal)
    {
        ["DataAccessAudit.Recording.RecordingMessages"] = (4001, 4099),
        ["DataAccessAudit.Log.FileLogMessages"] = (4100, 4149),
        ["DataAccessAudit.Transparency.CheckpointMessages"] = (4150, 4199),
        ["DataAccessAudit.BulkData.BulkDataMessages"] = (4200, 4299),
        ["DataAccessAudit.Diagnostics.TelemetryMessages"] = (4300, 4399),
    };

    [Fact]
    public void LoggerMessages_EachInItsAreasBlock_AndNoIdTwice()
    {
        var messages = typeof(AccessEvent).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Select(method => (Type: type, Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>())))
            .Where(m => m.Attribute is not null)
            .ToList();

        Assert.NotEmpty(messages);
        Assert.All(messages, m =>
        {
            Assert.True(Blocks.TryGetValue(m.Type.FullName!, out var block), $"{m.Type.FullName}.{m.Method.Name}: log messages are declared in an area's <Area>Messages class.");
            Assert.InRange(m.Attribute!.EventId, block.First, block.Last);
            Assert.False(string.IsNullOrEmpty(m.Attribute.EventName), $"{m.Method.Name} has no event name.");
        });
        Assert.Equal(messages.Count, messages.Select(m => m.Attribute!.EventId).Distinct().Count());
        Assert.Equal(Blocks.Keys.Order(StringComparer.Ordinal), messages.Select(m => m.Type.FullName!).Distinct().Order(StringComparer.Ordinal));
    }
}
