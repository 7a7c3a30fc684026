using System.CommandLine;

namespace DataAccessAudit.ReportGenerator.Tests;

// The commands of access-report as the tool builds them, walked rather than listed, so that a test over "every option"
// covers an option added later without being told.
internal static class CommandTree
{
    public static RootCommand Create() => AccessReportCommandLine.Create(Terminal.Plain(TextWriter.Null, TextWriter.Null));

    // Every command with the words that select it (none for the root).
    public static IEnumerable<(string[] Path, Command Command)> Commands()
    {
        var pending = new Stack<(string[] Path, Command Command)>([([], Create())]);
        while (pending.TryPop(out var next))
        {
            yield return next;
            foreach (var command in next.Command.Subcommands)
            {
                pending.Push(([.. next.Path, command.Name], command));
            }
        }
    }
}
