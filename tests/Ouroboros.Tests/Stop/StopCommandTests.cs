using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Ouroboros.Tests.Cli;

namespace Ouroboros.Tests.Stop;

/// <summary>One small STOP run, finished once for the class, against which resume and replay are checked.</summary>
public sealed class FinishedStopRun : IAsyncLifetime
{
    public static readonly string[] Small =
        ["--task", "3sat", "--iterations", "1", "--runs", "1", "--max-responses-per-call", "2", "--model-budget", "2", "--seed", "7"];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("ouro-stop-").FullName;
    public string Db => Path.Combine(Directory, "runs.db");
    public JsonObject Report { get; private set; } = null!;
    public string Id => (string)Report["run"]!;

    public async Task InitializeAsync()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync([.. new[] { "stop", "--db", Db, "--json" }, .. Small]);
        Assert.True(exit == 0, stderr);
        Report = JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsObject();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    public static long Scalar(string db, string sql)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }
}

public sealed class StopCommandTests(FinishedStopRun finished) : IClassFixture<FinishedStopRun>
{
    [Fact]
    public void The_json_result_has_iterations_baseline_and_safety()
    {
        var r = finished.Report;
        Assert.Equal("finished", (string)r["status"]!);
        var iterations = r["iterations"]!.AsArray();
        Assert.Equal([0, 1], iterations.Select(i => (int)i!["t"]!));
        Assert.All(iterations, i =>
        {
            Assert.InRange((double)i!["val"]!, 0, 1);
            Assert.InRange((double)i["test"]!, 0, 1);
            Assert.NotNull(i["adopted"]);
        });
        Assert.True((bool)iterations[0]!["adopted"]!); // the seed improver is where the loop starts
        Assert.NotNull(r["baseline"]);
        Assert.NotNull(r["safety"]);
        Assert.Contains("standard error", (string)r["adoptionTest"]!);
    }

    [Fact]
    public async Task The_report_opens_with_the_verdict_and_stop_s_json_carries_it()
    {
        var verdict = finished.Report["verdict"]!;
        Assert.StartsWith("Verdict: ", (string)verdict["line"]!);
        Assert.Contains("budget-matched baseline on test", (string)verdict["line"]!);

        var (exit, stdout, stderr) = await OuroProcess.RunAsync("report", finished.Id, "--db", finished.Db);
        Assert.True(exit == 0, stderr);
        Assert.StartsWith("Verdict: ", stdout.TrimStart());
    }

    [Fact]
    public async Task A_run_killed_with_SIGKILL_resumes_without_repeating_or_losing_work()
    {
        using (var process = OuroProcess.Start([.. new[] { "stop", "--db", finished.Db }, .. FinishedStopRun.Small]))
        {
            // Kill it mid-run, once it has made model calls and stored evaluations of its own.
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline && !process.HasExited &&
                   FinishedStopRun.Scalar(finished.Db, "SELECT COUNT(*) FROM evaluations e JOIN runs r ON r.id = e.run_id WHERE r.status = 'running'") < 3)
                await Task.Delay(100);
            Assert.False(process.HasExited, "the run finished before it could be killed");
            process.Kill(entireProcessTree: false); // SIGKILL: no cleanup runs
            await process.WaitForExitAsync();
        }
        var killed = FinishedStopRunIds(finished.Db).Single(id => id != finished.Id);
        Assert.Equal("running", Status(killed)); // what a kill -9 leaves behind

        var (exit, stdout, stderr) = await OuroProcess.RunAsync("stop", "--db", finished.Db, "--resume", killed, "--json");
        Assert.True(exit == 0, stderr);
        var resumed = JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsObject();
        // Same seed, same configuration: the resumed run ends exactly where the uninterrupted one did ...
        Assert.Equal(Scores(finished.Report), Scores(resumed));
        // ... having called the model exactly as often (answers made before the kill came from the
        // recording) and stored each evaluation once.
        Assert.Equal(Calls(finished.Id, "ok"), Calls(killed, "ok"));
        Assert.True(Calls(killed, "replayed") > 0);
        Assert.Equal(Evaluations(finished.Id), Evaluations(killed));
    }

    [Fact]
    public async Task A_run_stopped_by_SIGTERM_exits_143_within_5_s_and_resumes_to_the_uninterrupted_result()
    {
        // Cluster schedulers send SIGTERM, then SIGKILL after their grace period.
        var db = Path.Combine(finished.Directory, "sigterm.db");
        string runId;
        using (var process = OuroProcess.Start([.. new[] { "stop", "--db", db }, .. FinishedStopRun.Small]))
        {
            runId = await OuroProcess.StartedRunAsync(process);
            await OuroProcess.TerminateWhenAsync(process, () => File.Exists(db) && FinishedStopRun.Scalar(db, "SELECT COUNT(*) FROM evaluations") >= 3, TimeSpan.FromSeconds(5));
            Assert.Equal(143, process.ExitCode);
        }
        Assert.Equal(1, FinishedStopRun.Scalar(db, $"SELECT COUNT(*) FROM runs WHERE id = '{runId}' AND status = 'interrupted'"));

        var (exit, stdout, stderr) = await OuroProcess.RunAsync("stop", "--db", db, "--resume", runId, "--json");
        Assert.True(exit == 0, stderr);
        Assert.Equal(Scores(finished.Report), Scores(JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsObject()));
    }

    [Fact]
    public async Task Replay_reexecutes_offline_and_every_score_matches()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("replay", finished.Id, "--db", finished.Db, "--json");
        Assert.True(exit == 0, stderr);
        var result = JsonNode.Parse(OuroProcess.LastLine(stdout))!;
        Assert.Equal(finished.Id, (string)result["run"]!);
        Assert.True((bool)result["identical"]!, result["mismatches"]!.ToJsonString());
        Assert.Empty(result["mismatches"]!.AsArray());
    }

    [Fact]
    public async Task A_run_s_stored_configuration_passed_back_with_config_starts_an_identical_run()
    {
        var config = Path.Combine(finished.Directory, "config.json");
        await File.WriteAllTextAsync(config, finished.Report["config"]!.ToJsonString());
        // A store of its own: the class's store holds exactly one finished run, which other tests count on.
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("stop", "--db", Path.Combine(finished.Directory, "again.db"), "--config", config, "--json");
        Assert.True(exit == 0, stderr);
        var again = JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsObject();
        Assert.NotEqual(finished.Id, (string)again["run"]!);
        Assert.True(JsonNode.DeepEquals(finished.Report["config"], again["config"]), $"{finished.Report["config"]} vs {again["config"]}");
        Assert.Equal(Scores(finished.Report), Scores(again));
    }

    [Fact]
    public async Task A_config_file_is_read_strictly_and_flags_override_it()
    {
        var before = File.ReadAllBytes(finished.Db);
        var typo = Path.Combine(finished.Directory, "typo.json");
        await File.WriteAllTextAsync(typo, """{"iteratons": 2}""");
        var (exit, _, stderr) = await OuroProcess.RunAsync("stop", "--db", finished.Db, "--config", typo);
        Assert.Equal(2, exit);
        Assert.Contains("iteratons", stderr);
        Assert.Contains("iterations", stderr); // the options it could have meant are listed

        var good = Path.Combine(finished.Directory, "good.json");
        await File.WriteAllTextAsync(good, """{"iterations": 2, "tasks": ["3sat"]}""");
        (exit, _, stderr) = await OuroProcess.RunAsync("stop", "--db", finished.Db, "--config", good, "--iterations", "0");
        Assert.Equal(2, exit);
        Assert.StartsWith("ouro: --iterations must be between 1 and 100", stderr.Trim());

        await File.WriteAllTextAsync(good, """{"iterations": 0}""");
        (exit, _, stderr) = await OuroProcess.RunAsync("stop", "--db", finished.Db, "--config", good);
        Assert.Equal(2, exit);
        Assert.StartsWith("ouro: iterations must be between 1 and 100", stderr.Trim()); // named as the file names it
        Assert.Equal(before, File.ReadAllBytes(finished.Db));
    }

    [Fact]
    public async Task Bad_input_is_one_line_exit_2_and_leaves_the_store_unchanged()
    {
        var before = File.ReadAllBytes(finished.Db);
        foreach (var args in new[]
        {
            new[] { "stop", "--db", finished.Db, "--task", "no-such-task" },
            ["stop", "--db", finished.Db, "--resume", "no-such-run"],
            ["stop", "--db", finished.Db, "--resume", finished.Id],
            ["stop", "--db", finished.Db, "--model", "openai:http://127.0.0.1:9/v1#m"],
            ["stop", "--db", finished.Db, "--model", "gpt4"],
            ["stop", "--db", finished.Db, "--iterations", "0"],
            ["stop", "--db", finished.Db, "--tasks", "3sat,maxcut", "--transfer-tasks", "maxcut"],
            ["stop", "--db", finished.Db, "--tasks", "3sat,no-such-task"],
            ["stop", "--db", finished.Db, "--parallel", "0"],
            ["improve", "--db", finished.Db, "--improver", "0123456789abcdef"],
            ["replay", "no-such-run", "--db", finished.Db],
        })
        {
            var (exit, _, stderr) = await OuroProcess.RunAsync(args);
            Assert.True(exit == 2, $"{string.Join(' ', args)} exited {exit}: {stderr}");
            Assert.Single(stderr.Trim().Split('\n'));
        }
        Assert.Equal(before, File.ReadAllBytes(finished.Db));
    }

    [Fact]
    public async Task A_file_that_is_not_a_store_or_is_from_a_newer_schema_is_refused_untouched()
    {
        var notAStore = Path.Combine(finished.Directory, "notes.txt");
        await File.WriteAllTextAsync(notAStore, "not a database");
        var newer = Path.Combine(finished.Directory, "newer.db");
        File.Copy(finished.Db, newer);
        using (var c = new SqliteConnection($"Data Source={newer};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=DELETE; UPDATE schema_version SET version = 999;";
            cmd.ExecuteNonQuery();
        }
        foreach (var path in new[] { notAStore, newer })
        {
            var before = File.ReadAllBytes(path);
            var (exit, _, stderr) = await OuroProcess.RunAsync("stop", "--db", path, "--task", "3sat");
            Assert.True(exit == 2, stderr);
            Assert.Equal(before, File.ReadAllBytes(path));
        }
    }

    private static string Scores(JsonObject report) =>
        string.Join(";", report["iterations"]!.AsArray().Select(i => $"{i!["t"]}:{i["val"]}:{i["test"]}:{i["adopted"]}")) + "|" + report["baseline"]?.ToJsonString();

    private string Status(string runId) => FinishedStopRun.Scalar(finished.Db, $"SELECT COUNT(*) FROM runs WHERE id = '{runId}' AND status = 'running'") == 1 ? "running" : "other";
    private long Calls(string runId, string outcome) => FinishedStopRun.Scalar(finished.Db, $"SELECT COUNT(*) FROM model_calls WHERE run_id = '{runId}' AND outcome = '{outcome}'");
    private long Evaluations(string runId) => FinishedStopRun.Scalar(finished.Db, $"SELECT COUNT(*) FROM evaluations WHERE run_id = '{runId}'");

    private static IEnumerable<string> FinishedStopRunIds(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM runs WHERE kind = 'stop'";
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read()) ids.Add(r.GetString(0));
        return ids;
    }
}
