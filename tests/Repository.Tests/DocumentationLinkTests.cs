using System.Text.RegularExpressions;

namespace DataAccessAudit.Repository.Tests;

// A newcomer follows the README and docs links; each one that points into the repository must land on a file it has.
public sealed partial class DocumentationLinkTests
{
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>("README.md");
        foreach (var page in Directory.EnumerateFiles(RepositoryFiles.Path("docs"), "*.md", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(RepositoryFiles.Path("src"), "README.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(RepositoryFiles.Path("samples"), "README.md", SearchOption.AllDirectories))
            .Where(page => !page.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !page.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal))
        {
            pages.Add(Path.GetRelativePath(RepositoryFiles.Root, page).Replace('\\', '/'));
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryRelativeLink_PointsAtAFileOfTheRepository(string page)
    {
        var path = RepositoryFiles.Path(page);
        var folder = Path.GetDirectoryName(path)!;
        var broken = RelativeLink().Matches(File.ReadAllText(path))
            .Select(match => match.Groups["target"].Value)
            .Where(target => !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
            .Select(target => target.Split('#')[0])
            .Where(target => target.Length > 0)
            .Where(target => !File.Exists(Path.Combine(folder, target)) && !Directory.Exists(Path.Combine(folder, target)))
            .ToList();

        Assert.True(broken.Count == 0, $"{page} links to files the repository does not have: {string.Join(", ", broken)}");
    }

    [Fact]
    public void NoPage_SendsReadersToTheSharedFolder()
    {
        // Only developers have ../shared; a reader of the repository or of a package has docs/spec. The contracts in
        // docs/spec are the shared files unchanged, so their own wording is not checked here.
        var pages = Pages().Select(row => row.Data).Where(page => !page.StartsWith("docs/spec/", StringComparison.Ordinal));
        var offending = pages
            .SelectMany(page => SharedPath().Matches(File.ReadAllText(RepositoryFiles.Path(page)))
                .Select(match => (page, mention: match.Value)))
            .Where(found => !(found.page == "README.md" && found.mention == "../shared/spec/"))
            .Select(found => $"{found.page}: {found.mention}")
            .ToList();

        Assert.True(offending.Count == 0, "point readers at docs/spec instead of " + string.Join(", ", offending));
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex RelativeLink();

    [GeneratedRegex(@"(\.\./)?shared/spec/[\w./-]*")]
    private static partial Regex SharedPath();
}
