using System.CommandLine;

namespace Ouroboros.Cli.Commands;

/// <summary><c>ouro bench</c>: measured speed of the machinery.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var cmd = new Command("bench", "Measure the speed of the machinery.");
        return cmd;
    }
}
