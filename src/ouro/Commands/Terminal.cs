using Spectre.Console;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// The Spectre.Console console for tables on stdout. Piped into a file or a script, it writes plain
/// text (no colour codes) at a fixed width of 120, instead of Spectre's 80-column fallback that
/// wraps every hash and interval.
/// </summary>
internal static class Terminal
{
    public static IAnsiConsole Stdout()
    {
        if (!Console.IsOutputRedirected) return AnsiConsole.Console;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(Console.Out),
        });
        console.Profile.Width = 120;
        return console;
    }
}
