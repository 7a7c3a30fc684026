using DataAccessAudit.DependencyInjection;
using Microsoft.Extensions.Configuration;

namespace DataAccessAudit.Tests.DependencyInjection;

public sealed class ConfigurationShapeTests
{
    public sealed class FlatOptions
    {
        public int Count { get; set; }

        public TimeSpan? Every { get; set; }

        public IList<string> Names { get; } = [];

        public string ReadOnly { get; } = "not bound";
    }

    public sealed class NestedOptions
    {
        public FlatOptions Inner { get; set; } = new();
    }

    private static IConfigurationSection Section(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"S:{v.Key}", v.Value))).Build().GetSection("S");

    [Fact]
    public void Of_NestedOptionsType_IsRefusedRatherThanBoundUnchecked()
    {
        var exception = Assert.Throws<NotSupportedException>(() => ConfigurationShape.Of<NestedOptions>());

        Assert.Contains("NestedOptions.Inner", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EveryMistake_IsNamedByPathAndHiddenFromTheBinder()
    {
        var section = Section(("count", "many"), ("Every", "1.00:00:00"), ("Names:0", "a"), ("Names:x", "b"), ("ReadOnly", "x"), ("Count:Extra", "1"));
        var problems = new List<string>();

        var unbindable = ConfigurationShape.Of<FlatOptions>().Check(section, "setting", problems);

        Assert.Equal(
            [
                "S:count: \"many\" is not a whole number from -2147483648 to 2147483647",
                "S:count:Extra: 'Extra' is not a setting; S:count is a single value",
                "S:Names:x: 'x' is not a list index; S:Names is a list",
                "S:ReadOnly: 'ReadOnly' is not a setting; expected one of Count, Every, Names",
            ],
            problems);
        Assert.Equal(["S:Names:x", "S:count"], unbindable.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Check_EmptyValues_AreNoProblemAndLeaveTheDefault()
    {
        var section = Section(("Count", ""), ("Every", ""), ("Names", ""));
        var problems = new List<string>();

        var unbindable = ConfigurationShape.Of<FlatOptions>().Check(section, "setting", problems);

        Assert.Empty(problems);
        Assert.Equal(["S:Count", "S:Every"], unbindable.Order(StringComparer.Ordinal));
    }
}
