using System.Diagnostics;

namespace Ouroboros.Dashboard.Tests;

/// <summary>The built <c>ouro</c> (copied beside the tests) as a separate process, as a user runs it.</summary>
public static class Ouro
{
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ouro.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    /// <summary>Runs <c>ouro</c> to its end: exit code, stdout, stderr.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, await stdout, await stderr);
    }
}
