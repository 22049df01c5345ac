using System.Text.Json.Nodes;

namespace Ouroboros.Tests.Cli;

/// <summary><c>ouro sandbox run</c>, <c>improve</c>, <c>transfer</c> and <c>audit</c>, run as the real executable with small budgets.</summary>
public sealed class ExperimentCommandsTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ouro-cli-").FullName;
    private string Db => Path.Combine(_scratch, "runs.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task SIGTERM_stops_a_run_within_seconds_and_leaves_it_interrupted_and_resumable()
    {
        // Cluster schedulers send SIGTERM before they kill: the run must be marked, not cut off.
        using var process = OuroProcess.Start("stop", "--task", "3sat", "--db", Db);
        var started = await process.StandardError.ReadLineAsync() ?? "";
        Assert.Contains("ouro: run stop-", started);
        var runId = started.Split(' ')[2].TrimEnd(':');
        await Task.Delay(2000); // into the run's work
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await process.WaitForExitAsync(within.Token);
        Assert.Equal(143, process.ExitCode);

        var (exit, stdout, _) = await OuroProcess.RunAsync("runs", "--db", Db, "--json");
        Assert.Equal(0, exit);
        var run = JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsArray().Single(r => (string)r!["id"]! == runId)!;
        Assert.Equal("interrupted", (string)run["status"]!);
    }

    [Fact]
    public async Task A_token_budget_below_one_is_a_one_line_error_before_anything_runs()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("stop", "--task", "3sat", "--max-tokens-per-level", "0", "--db", Db);
        Assert.Equal(2, exit);
        Assert.Contains("--max-tokens-per-level must be at least 1", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_money_cap_on_a_model_without_a_price_is_a_one_line_error_before_anything_runs()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("improve", "--task", "3sat", "--improver", "seed",
            "--model", "openai:http://127.0.0.1:9/v1#my-model", "--max-cost-usd", "5", "--db", Db);
        Assert.Equal(2, exit);
        Assert.Contains("--max-cost-usd needs the price of", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Sandbox_run_prints_one_object_per_file_and_exits_0_whatever_the_statuses()
    {
        var ok = Path.Combine(_scratch, "ok.cs");
        var loop = Path.Combine(_scratch, "loop.cs");
        var files = Path.Combine(_scratch, "files.cs");
        await File.WriteAllTextAsync(ok, "public static class Program { public static int[] Run() { Console.WriteLine(\"hi\"); return new[] { 1, 2 }; } }");
        await File.WriteAllTextAsync(loop, "public static class Program { public static int Run() { while (true) { } } }");
        await File.WriteAllTextAsync(files, "public static class Program { public static string Run() => System.IO.File.ReadAllText(\"/etc/passwd\"); }");
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("sandbox", "run", ok, loop, files, "--timeout-ms", "500", "--json");
        Assert.True(exit == 0, stderr);
        var lines = stdout.Trim().Split('\n').Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["ok", "timeout", "policy_violation"], lines.Select(l => (string)l["status"]!));
        Assert.Equal("[1,2]", lines[0]["result"]!.ToJsonString());
        Assert.Equal("hi\n", (string)lines[0]["stdout"]!);
        Assert.All(lines, l => { Assert.NotNull(l["diagnostics"]); Assert.NotNull(l["events"]); Assert.NotNull(l["compileMs"]); Assert.NotNull(l["runMs"]); });
        Assert.Contains("System.IO.File", lines[2]["diagnostics"]![0]!["message"]!.ToString());

        var (missing, _, err) = await OuroProcess.RunAsync("sandbox", "run", Path.Combine(_scratch, "nope.cs"));
        Assert.Equal(2, missing);
        Assert.Contains("no such file", err);
    }

    [Fact]
    public async Task Improve_reports_before_and_after_on_both_splits()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("improve", "--db", Db, "--task", "3sat", "--improver", "seed", "--json");
        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(OuroProcess.LastLine(stdout))!;
        Assert.Equal("3sat", (string)report["task"]!);
        Assert.StartsWith("improve-", (string)report["run"]!);
        var r = report["improve"]!; // the report's before → after
        foreach (var side in new[] { "before", "after" })
            foreach (var split in new[] { "val", "test" })
                Assert.InRange((double)r[side]![split]!, 0, 1);
        Assert.Equal(6, (int)r["utilityCalls"]!); // the seed improver scores each of its six candidates once
    }

    [Fact]
    public async Task Transfer_prints_table_1_with_n_and_intervals()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("transfer", "--db", Db, "--improver", "seed", "--tasks", "3sat", "--runs", "2", "--json");
        Assert.True(exit == 0, stderr);
        var r = JsonNode.Parse(OuroProcess.LastLine(stdout))!;
        var row = r["transfers"]![0]!["rows"]![0]!;
        Assert.Equal("3sat", (string)row["task"]!);
        Assert.Equal(0.733, (double)row["us"]!["val"]!, 3); // u(s): the WalkSAT seed on validation
        Assert.Equal(2, (int)row["seed"]!["testN"]!);
        Assert.Equal(2, (int)row["improved"]!["testN"]!);
        Assert.NotNull(row["improved"]!["testCi95"]);
    }

    [Fact]
    public async Task Audit_reports_each_behaviour_with_a_wilson_interval()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("audit", "--db", Db, "--samples", "3", "--warning", "--json");
        Assert.True(exit == 0, stderr);
        var audit = JsonNode.Parse(OuroProcess.LastLine(stdout))!["audit"]!;
        Assert.Equal(3, (int)audit["samples"]!);
        Assert.True((bool)audit["warning"]!);
        var rows = audit["rows"]!.AsArray();
        Assert.Equal(5, rows.Count);
        // Invalid outputs are counted apart from reward hacking: most are mutation noise.
        Assert.Contains(rows, r => (string)r!["behaviour"]! == "returns invalid outputs");
        Assert.Contains(rows, r => (string)r!["behaviour"]! == "triggers reward-hacking guards");
        Assert.All(rows, row =>
        {
            Assert.InRange((int)row!["count"]!, 0, 3);
            Assert.Equal(2, row["ci95"]!.AsArray().Count);
        });
        var (bad, _, err) = await OuroProcess.RunAsync("audit", "--db", Db, "--samples", "0");
        Assert.Equal(2, bad);
        Assert.Contains("--samples", err);
    }
}
