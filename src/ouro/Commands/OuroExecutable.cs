namespace Ouroboros.Cli.Commands;

/// <summary>
/// How to start this same <c>ouro</c> again, in a child process or a SLURM job: the apphost when
/// this process is one (<c>ouro</c>), else the <c>dotnet</c> host with this build's <c>ouro.dll</c>
/// (<c>dotnet run</c>, <c>dotnet ouro.dll</c>, the tests). Full paths, so a job on another node
/// with the same shared filesystem runs the same build.
/// </summary>
internal static class OuroExecutable
{
    /// <summary>The program and the arguments that come before <c>ouro</c>'s own.</summary>
    public static IReadOnlyList<string> Command()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ouro.dll");
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "ouro") return [self];
        // The dotnet host: the same host binary (not whichever 'dotnet' a job's PATH finds first).
        var host = self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        return [host, dll];
    }
}
