using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Ouroboros.Tests.Stop;

namespace Ouroboros.Tests.Cli;

/// <summary>
/// The progress a user watches on standard error: the live panel on a terminal (run here under a
/// pseudo-terminal, as a user's shell gives it) and the plain lines of a log, with evaluations in
/// flight and their instances done, the iterations' history, and fields that fit the command.
/// </summary>
public sealed partial class ProgressPanelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-progress-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task On_a_terminal_the_panel_shows_the_iteration_the_work_in_flight_and_the_history()
    {
        // script(1) gives the command a pseudo-terminal; stty widens it so no row wraps.
        var command = string.Join(' ', new[] { "stty cols 200 rows 60;", "exec dotnet", Path.Combine(AppContext.BaseDirectory, "ouro.dll"), "stop", "--db", Path.Combine(_dir, "runs.db") }
            .Concat(FinishedStopRun.Small).Select(a => a.EndsWith(';') || a == "exec dotnet" ? a : $"'{a}'"));
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "-qec", command, "/dev/null" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        var screen = Ansi().Replace(await output, "");
        Assert.True(process.ExitCode == 0, screen[^Math.Min(2000, screen.Length)..]);

        Assert.Matches(@"│ elapsed\s+│ \d\d:\d\d", screen);
        Assert.Matches(@"│ iteration\s+│ 1 of 1 — ", screen);
        Assert.Matches(@"│ candidates\s+│ \d+ scored · meta-utility calls this step \d+ of 25", screen);
        // Inside a long evaluation: how many are under way, the oldest one's age, and instances done of all.
        Assert.Matches(@"│ work\s+│ \d+ improver runs · \d+ evaluations \(\d+ in flight, longest \d\d:\d\d, instances \d+/\d+\)", screen);
        Assert.Matches(@"│ iterations\s+│ t=0 \d\d:\d\d I₀ · val û \d\.\d{3}", screen);
        Assert.Matches(@"│ best so far\s+│ val \d\.\d{3} / test \d\.\d{3}", screen);
        // The report follows the panel on the same terminal and ends with the verdict.
        Assert.Contains("Verdict:", screen);
    }

    [Fact]
    public async Task In_a_log_an_improve_run_writes_plain_lines_that_fit_it_not_stop_iterations()
    {
        var (exit, _, stderr) = await OuroProcess.RunWithAsync(new Dictionary<string, string?> { ["OUROBOROS_PROGRESS_SECONDS"] = "0.5" },
            "improve", "--db", Path.Combine(_dir, "runs.db"), "--task", "3sat", "--improver", "seed");
        Assert.True(exit == 0, stderr);
        var lines = stderr.Split('\n').Where(l => PlainLine().IsMatch(l)).ToList();
        Assert.True(lines.Count >= 2, stderr);
        Assert.All(lines, l => Assert.Matches(@"^\[\d\d:\d\d\] improve · .+ · improver runs \d+ · evaluations \d+", l));
        Assert.DoesNotContain(lines, l => l.Contains("iteration") || l.Contains("candidates") || l.Contains("ETA"));
    }

    [Fact]
    public async Task In_a_log_a_stop_run_never_shows_an_iteration_count_before_it_has_one()
    {
        var (exit, _, stderr) = await OuroProcess.RunWithAsync(new Dictionary<string, string?> { ["OUROBOROS_PROGRESS_SECONDS"] = "0.5" },
            ["stop", "--db", Path.Combine(_dir, "runs.db"), .. FinishedStopRun.Small]);
        Assert.True(exit == 0, stderr);
        var lines = stderr.Split('\n').Where(l => PlainLine().IsMatch(l)).ToList();
        Assert.Contains(lines, l => Regex.IsMatch(l, @"iteration 1/1 · .+ · candidates \d+ \(meta-utility calls this step \d+/25\)"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"evaluations \d+ \(\d+ in flight, longest \d\d:\d\d, instances \d+/\d+\)"));
        Assert.DoesNotContain(lines, l => l.Contains("iteration 0/0") || l.Contains("ETA 00:00"));
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"^\[\d\d:\d\d\] ")]
    private static partial Regex PlainLine();
}
