using System.Text.RegularExpressions;

namespace DataAccessAudit.Repository.Tests;

// Each package as a user meets it on its page: its own README, installable as written, links that work outside the
// repository, and nothing inside it that only the repository's tests need.
[Collection(nameof(PackedRepositoryGroup))]
public sealed partial class PackageTests(PackedRepository packed)
{
    [Fact]
    public void EveryPackage_HasItsOwnReadme_WithTheInstallCommand_AndOnlyAbsoluteLinks()
    {
        foreach (var id in packed.PackageFiles.Keys)
        {
            var readme = packed.ReadEntry(id, "README.md");

            Assert.True(readme is not null, $"{id} has no README.md");
            Assert.StartsWith($"# {id}\n", readme, StringComparison.Ordinal);
            Assert.True(
                readme.Contains($"dotnet add package {id}\n", StringComparison.Ordinal) || readme.Contains($"dotnet tool install --global {id}\n", StringComparison.Ordinal),
                $"{id}'s README does not say how to install it");
            var relative = Link().Matches(readme).Select(match => match.Groups["target"].Value)
                .Where(target => !target.StartsWith("https://", StringComparison.Ordinal))
                .ToList();
            Assert.True(relative.Count == 0, $"{id}'s README has links that only work inside the repository: {string.Join(", ", relative)}");
            Assert.Contains("<readme>README.md</readme>", packed.ReadEntry(id, $"{id}.nuspec"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToolPackage_ShipsNoTestLibrary()
    {
        var entries = packed.Entries("DataAccessAudit.ReportGenerator");

        Assert.Contains(entries, entry => entry.EndsWith("/access-report.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, entry => entry.Contains("Testing", StringComparison.OrdinalIgnoreCase) || entry.Contains("xunit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Libraries_TargetDotNet8AndDotNet10()
    {
        foreach (var id in packed.PackageFiles.Keys.Where(id => id != "DataAccessAudit.ReportGenerator"))
        {
            var entries = packed.Entries(id);

            Assert.Contains($"lib/net8.0/{id}.dll", entries);
            Assert.Contains($"lib/net10.0/{id}.dll", entries);
        }
    }

    [Fact]
    public void Libraries_OnDotNet8_DependOnTheMicrosoftExtensions8Line()
    {
        // A .NET 8 app (ASP.NET Core 8) must not be moved to Microsoft.Extensions 10 by referencing a library.
        foreach (var id in new[] { "DataAccessAudit", "DataAccessAudit.Reporting" })
        {
            var nuspec = System.Xml.Linq.XDocument.Parse(packed.ReadEntry(id, $"{id}.nuspec")!);
            var groups = nuspec.Descendants().Where(e => e.Name.LocalName == "group").ToDictionary(g => (string)g.Attribute("targetFramework")!);
            var net8 = groups["net8.0"].Elements().Select(d => ((string)d.Attribute("id")!, (string)d.Attribute("version")!)).ToList();

            var extensions = net8.Where(d => d.Item1.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && !d.Item1.StartsWith("Microsoft.Extensions.Compliance.", StringComparison.Ordinal)).ToList();
            Assert.True(id != "DataAccessAudit" || extensions.Count > 0, $"{id}: no Microsoft.Extensions dependency on net8.0");
            Assert.All(extensions, d => Assert.True(d.Item2.StartsWith("8.0.", StringComparison.Ordinal), $"{id} on net8.0 depends on {d.Item1} {d.Item2}"));
            Assert.True(groups.ContainsKey("net10.0"), $"{id} has no net10.0 dependency group");
        }
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();
}
