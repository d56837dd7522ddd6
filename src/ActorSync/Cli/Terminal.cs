using Spectre.Console;

namespace ActorSync.Cli;

/// <summary>
/// Where ActorSync draws with Spectre.Console (issue 21): a terminal that understands cursor movement. Everywhere else
/// (output redirected to a file or a pipe, <c>TERM=dumb</c>) the commands print plain lines, as they always did.
/// </summary>
public static class Terminal
{
    /// <summary>True when <paramref name="output"/> is the process's stdout or stderr and that is an interactive terminal.</summary>
    public static bool IsInteractive(TextWriter output) =>
        !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal) &&
        ((ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected) ||
         (ReferenceEquals(output, Console.Error) && !Console.IsErrorRedirected));

    /// <summary>A Spectre.Console console drawing on <paramref name="output"/>, interactive, colours as the terminal has them.</summary>
    public static IAnsiConsole For(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Interactive = InteractionSupport.Yes,
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
    });
}
