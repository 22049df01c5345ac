using System.Diagnostics;
using System.Text.Json.Nodes;
using Ouroboros.Tests.Stop;

namespace Ouroboros.Tests.Cli;

/// <summary>
/// Run states a user can trust, through <c>ouro</c> as a user runs it: one process at a time resumes a
/// run (the lease), a killed run reads as stale and resumes, <c>ouro runs</c> filters, and <c>--resume</c>
/// refuses options that contradict the stored configuration.
/// </summary>
public sealed class RunStatesTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ouro-states-").FullName;
    private string Db => Path.Combine(_scratch, "runs.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Of_two_resumes_of_one_interrupted_run_exactly_one_proceeds_and_the_other_is_one_line_exit_2()
    {
        var runId = await StopMidRun("-TERM");
        Assert.Equal("interrupted", Status(await Runs(), runId));

        // The second names the run's own iteration count: the same value as stored is no contradiction.
        var first = OuroProcess.RunAsync("stop", "--db", Db, "--resume", runId, "--json");
        var second = OuroProcess.RunAsync("stop", "--db", Db, "--resume", runId, "--iterations", "1", "--json");
        var results = await Task.WhenAll(first, second);
        var won = Assert.Single(results, r => r.Exit == 0);
        var lost = Assert.Single(results, r => r.Exit == 2);
        var line = Assert.Single(lost.Err.Trim().Split('\n'));
        Assert.Matches($@"^ouro: run {runId} is in use by \S+ pid \d+ \(its lease runs until .+\)", line);
        Assert.Equal("", lost.Out);
        Assert.Equal("finished", (string)JsonNode.Parse(OuroProcess.LastLine(won.Out))!["status"]!);
    }

    [Fact]
    public async Task A_killed_run_is_stale_once_no_live_process_holds_it_and_resumes()
    {
        var runId = await StopMidRun("-KILL", leaseSeconds: 3);
        // Killed on this host: its process is seen to be gone, so it is stale at once.
        var run = (await Runs()).Single(r => (string)r!["id"]! == runId)!;
        Assert.Equal("stale", (string)run["status"]!);
        Assert.NotNull(run["heartbeat"]);
        var (_, table, _) = await OuroProcess.RunAsync("runs", "--db", Db);
        Assert.Contains("running (stale: no heartbeat", table);

        // Held by a process on another host, it is running until its lease expires: a resume is refused ...
        FinishedStopRun.Scalar(Db, $"UPDATE runs SET lease_host = 'elsewhere', lease_pid = 4242, lease_until = '{DateTimeOffset.UtcNow.AddMinutes(5):O}' WHERE id = '{runId}'");
        Assert.Equal("running", Status(await Runs(), runId));
        var (exit, _, stderr) = await OuroProcess.RunAsync("stop", "--db", Db, "--resume", runId);
        Assert.Equal(2, exit);
        Assert.Contains("is in use by elsewhere pid 4242", Assert.Single(stderr.Trim().Split('\n')));

        // ... and stale once it has (its expiry moved into the past: a loaded machine must not make the
        // refusal above race the clock): then it resumes to the end.
        FinishedStopRun.Scalar(Db, $"UPDATE runs SET lease_until = '{DateTimeOffset.UtcNow.AddSeconds(-1):O}' WHERE id = '{runId}'");
        Assert.Equal("stale", Status(await Runs(), runId));
        (exit, var stdout, stderr) = await OuroProcess.RunAsync("stop", "--db", Db, "--resume", runId, "--json");
        Assert.True(exit == 0, stderr);
        Assert.Equal("finished", (string)JsonNode.Parse(OuroProcess.LastLine(stdout))!["status"]!);
        Assert.Equal(0, FinishedStopRun.Scalar(Db, "SELECT COUNT(*) FROM runs WHERE lease_token IS NOT NULL")); // released
    }

    [Fact]
    public async Task Runs_filter_by_kind_and_status_and_refuse_unknown_values_in_one_line()
    {
        var runId = await StopMidRun("-TERM");
        Assert.Equal([runId], (await Runs("--kind", "stop", "--status", "interrupted")).Select(r => (string)r!["id"]!));
        Assert.Empty(await Runs("--status", "running"));
        Assert.Empty(await Runs("--kind", "transfer"));
        foreach (var (flag, value) in new[] { ("--kind", "stopp"), ("--status", "done") })
        {
            var (exit, stdout, stderr) = await OuroProcess.RunAsync("runs", "--db", Db, flag, value);
            Assert.Equal(2, exit);
            Assert.StartsWith($"ouro: {flag} '{value}' is not one of ", Assert.Single(stderr.Trim().Split('\n')));
            Assert.Equal("", stdout);
        }

        // Resuming with an option that contradicts the stored configuration says so, and changes nothing.
        var before = File.ReadAllBytes(Db);
        var (code, _, err) = await OuroProcess.RunAsync("stop", "--db", Db, "--resume", runId, "--iterations", "5");
        Assert.Equal(2, code);
        Assert.StartsWith($"ouro: --iterations 5 contradicts run {runId}'s stored configuration (iterations 1)", Assert.Single(err.Trim().Split('\n')));
        (code, _, err) = await OuroProcess.RunAsync("stop", "--db", Db, "--resume", runId, "--tasks", "3sat,maxcut");
        Assert.Equal(2, code);
        Assert.StartsWith("ouro: --tasks 3sat,maxcut contradicts", err.Trim());
        Assert.Equal(before, File.ReadAllBytes(Db));
    }

    /// <summary>Starts a small STOP run and stops it with <paramref name="signal"/> once it has stored evaluations; its id.</summary>
    private async Task<string> StopMidRun(string signal, int? leaseSeconds = null)
    {
        var environment = leaseSeconds is { } s ? new Dictionary<string, string?> { ["OUROBOROS_LEASE_SECONDS"] = s.ToString() } : [];
        using var process = OuroProcess.Start(environment, [.. new[] { "stop", "--db", Db }, .. FinishedStopRun.Small]);
        var started = await process.StandardError.ReadLineAsync() ?? "";
        var runId = started.Split(' ')[2].TrimEnd(':');
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline && !process.HasExited && FinishedStopRun.Scalar(Db, "SELECT COUNT(*) FROM evaluations") < 3)
            await Task.Delay(100);
        Assert.False(process.HasExited, "the run finished before it could be stopped");
        using (var kill = Process.Start("kill", [signal, process.Id.ToString()])) await kill.WaitForExitAsync();
        await process.WaitForExitAsync();
        return runId;
    }

    private async Task<JsonArray> Runs(params string[] filters)
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync([.. new[] { "runs", "--db", Db, "--json" }, .. filters]);
        Assert.True(exit == 0, stderr);
        return JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsArray();
    }

    private static string Status(JsonArray runs, string id) => (string)runs.Single(r => (string)r!["id"]! == id)!["status"]!;
}
