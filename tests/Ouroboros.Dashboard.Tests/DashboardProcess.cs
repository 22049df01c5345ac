using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Ouroboros.Dashboard.Tests;

/// <summary><c>ouro dashboard --port 0</c> running over a store, at the URL it printed; disposing sends SIGTERM.</summary>
public sealed partial class DashboardProcess : IAsyncDisposable
{
    public Process Process { get; }
    public Uri Root { get; }
    public HttpClient Http { get; }

    private DashboardProcess(Process process, Uri root)
    {
        Process = process;
        Root = root;
        Http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<DashboardProcess> StartAsync(string db)
    {
        var process = OuroProcess.Start("dashboard", "--db", db, "--port", "0");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var url = line is null ? null : Url().Match(line);
        if (url is not { Success: true })
        {
            var err = await process.StandardError.ReadToEndAsync();
            throw new InvalidOperationException($"ouro dashboard did not print its URL: {line} {err}");
        }
        _ = process.StandardError.ReadToEndAsync();
        return new DashboardProcess(process, new Uri(url.Value));
    }

    /// <summary>SIGTERM, as a scheduler or <c>kill</c> stops it; returns how long it took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync()
    {
        var watch = Stopwatch.StartNew();
        Signal(Process.Id, 15);
        await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!Process.HasExited) await TerminateAsync();
        Process.Dispose();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Signal(int pid, int signal);

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex Url();
}
