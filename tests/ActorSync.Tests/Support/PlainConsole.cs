using Spectre.Console;

namespace ActorSync.Tests.Support;

/// <summary>A Spectre.Console console writing plain text (no ANSI, no colour) of a fixed width into a string.</summary>
public sealed class PlainConsole
{
    private readonly StringWriter _text = new();

    public PlainConsole(int width = 200)
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        Console.Profile.Width = width;
    }

    public IAnsiConsole Console { get; }

    public string Text => _text.ToString();
}
