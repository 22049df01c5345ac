using System.Diagnostics;

namespace Ouroboros.Tests.Cli;

/// <summary>Runs the built <c>ouro</c> as a user would: a separate process, its exit code, stdout and stderr.</summary>
public static class OuroProcess
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        return (process.ExitCode, await stdout, await stderr);
    }

    public static Process Start(params string[] args) => Start(new Dictionary<string, string?>(), args);

    /// <summary>As <see cref="RunAsync(string[])"/>, with <paramref name="environment"/> set in the process's environment (null: removed).</summary>
    public static async Task<(int Exit, string Out, string Err)> RunWithAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts <c>ouro</c> with <paramref name="environment"/> added to this process's (null: removed).</summary>
    public static Process Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ouro.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    /// <summary>The run id a run command's first stderr line names (<c>ouro: run ID: …</c>).</summary>
    public static async Task<string> StartedRunAsync(Process process) => ((await process.StandardError.ReadLineAsync()) ?? "").Split(' ')[2].TrimEnd(':');

    /// <summary>
    /// Sends <c>SIGTERM</c> to a running <c>ouro</c> once <paramref name="ready"/> holds (checked every
    /// <paramref name="pollMs"/> ms, for up to 3 minutes), as a cluster scheduler would, and waits at most
    /// <paramref name="within"/> for it to exit; fails if the run ended before it could be stopped.
    /// </summary>
    public static async Task TerminateWhenAsync(Process process, Func<bool> ready, TimeSpan within, int pollMs = 100)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline && !process.HasExited && !ready())
            await Task.Delay(pollMs);
        Xunit.Assert.False(process.HasExited, "the run finished before it could be stopped");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
        using var limit = new CancellationTokenSource(within);
        await process.WaitForExitAsync(limit.Token);
    }

    public static string LastLine(string text) => text.TrimEnd().Split('\n')[^1];
}
