using System.CommandLine;

namespace Ouroboros.Cli.Commands;

/// <summary><c>ouro sandbox run</c>: compile and run C# files in the sandbox.</summary>
public static class SandboxCommand
{
    public static Command Create()
    {
        var cmd = new Command("sandbox", "Run C# files in the sandbox.");
        return cmd;
    }
}
