using Spectre.Console;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Where the command line writes: plain output and error writers, and a Spectre.Console console for tables and
/// progress. Progress bars are shown only when <see cref="IsInteractive"/> (stdout is a terminal), so pipes, CI
/// logs and tests get plain text.
/// </summary>
internal sealed class Terminal
{
    public Terminal(
        TextWriter output,
        TextWriter error,
        IAnsiConsole console,
        bool isInteractive,
        Func<Stream>? openInput = null,
        Func<string, string?>? environment = null)
    {
        OpenInput = openInput ?? (() => Stream.Null);
        Environment = environment ?? (_ => null);
        Output = output;
        Error = error;
        Console = console;
        IsInteractive = isInteractive;
    }

    /// <summary>Opens standard input, which <c>--events -</c> reads.</summary>
    public Func<Stream> OpenInput { get; }

    /// <summary>Reads an environment variable (such as <c>SOURCE_DATE_EPOCH</c>); null when it is not set.</summary>
    public Func<string, string?> Environment { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public IAnsiConsole Console { get; }

    public bool IsInteractive { get; }

    public static Terminal FromConsole()
    {
        var interactive = !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Console;
        if (!interactive)
        {
            // Redirected output has no width; tables would wrap at 80 columns.
            console.Profile.Width = 120;
        }

        return new Terminal(System.Console.Out, System.Console.Error, console, interactive, System.Console.OpenStandardInput, System.Environment.GetEnvironmentVariable);
    }

    /// <summary>This terminal, with standard input opened by <paramref name="openInput"/> instead.</summary>
    public Terminal WithInput(Func<Stream> openInput) => new(Output, Error, Console, IsInteractive, openInput, Environment);

    /// <summary>A terminal that writes plain text (no colours, no progress) to the given writers, as tests use.</summary>
    public static Terminal Plain(TextWriter output, TextWriter error, Func<Stream>? openInput = null, Func<string, string?>? environment = null)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 120;
        return new Terminal(output, error, console, isInteractive: false, openInput, environment);
    }
}
