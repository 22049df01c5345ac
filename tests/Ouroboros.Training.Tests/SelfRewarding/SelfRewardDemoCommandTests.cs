using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Ouroboros.Tests.Cli;

namespace Ouroboros.Training.Tests.SelfRewarding;

/// <summary>
/// <c>ouro self-reward --demo</c> as a user runs it, at a size that trains in seconds (the settings go in
/// through <c>--config</c>, as a user would shrink it): every arm's models and measures reach the report,
/// the checkpoints reach the store, and a run stopped part way and resumed ends exactly as one that ran through.
/// </summary>
public sealed class SelfRewardDemoCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-self-reward-demo-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Config()
    {
        var path = Path.Combine(_dir, "small.json");
        File.WriteAllText(path, """
            {"demo": {"layers": 1, "width": 32, "heads": 2, "context": 48, "demonstrations": 60, "judgeExamples": 60,
                      "sftEpochs": 4, "heldOutPrompts": 20, "dpoEpochs": 1},
             "promptsPerIteration": 16, "iterations": 2}
            """);
        return path;
    }

    private string[] Args(string db) => ["self-reward", "--demo", "--config", Config(), "--seeds", "2", "--db", db];

    private static List<string> Models(string db) => Rows(db, "SELECT arm || '/' || seed || '/' || iteration || ' ' || model_id || ' ' || metrics FROM self_reward_iterations ORDER BY arm, seed, iteration");

    private static List<string> Rows(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetValue(0).ToString()!);
        return rows;
    }

    [Fact]
    public async Task The_demonstration_reports_every_arm_replays_identically_and_resumes_to_the_same_models()
    {
        var db = Path.Combine(_dir, "through.db");
        var (exit, stdout, stderr) = await OuroProcess.RunAsync([.. Args(db), "--json"]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("toy demonstration", stderr);
        var whole = JsonNode.Parse(OuroProcess.LastLine(stdout))!;
        var report = whole["self-reward"]!;
        var arms = report["models"]!.AsArray().Select(m => (string)m!["arm"]!).Distinct().Order().ToList();
        Assert.Equal(["no-eft", "oracle", "self", "sft", "shuffled"], arms);
        var through = Models(db);
        // sft: M1; the others M1, M2, M3; for each of 2 seeds.
        Assert.Equal(2 * (1 + 4 * 3), through.Count);
        // M1 of sft (IFT only) is the no-eft arm's M1; self, shuffled and oracle share the other M1.
        string M1(string arm, int seed) => through.Single(r => r.StartsWith($"{arm}/{seed}/1 ")).Split(' ')[1];
        Assert.Equal(M1("sft", 0), M1("no-eft", 0));
        Assert.Equal(M1("self", 1), M1("oracle", 1));
        Assert.NotEqual(M1("sft", 0), M1("self", 0));
        // Every model of the run is a stored checkpoint.
        var checkpoints = Rows(db, "SELECT hash FROM checkpoints").ToHashSet();
        Assert.All(through, r => Assert.Contains(r.Split(' ')[1], checkpoints));

        // ouro replay trains every model again from the same seeds: the same weights, pairs and measures.
        var replay = await OuroProcess.RunAsync("replay", (string)whole["run"]!, "--db", db, "--json");
        Assert.True(replay.Exit == 0, replay.Err + replay.Out);
        Assert.Equal("identical", (string)JsonNode.Parse(OuroProcess.LastLine(replay.Out))!["outcome"]!);

        // Stopped once the first arm's models exist, then resumed: the same models, measures and report.
        var stopped = Path.Combine(_dir, "stopped.db");
        string runId;
        using (var process = OuroProcess.Start(Args(stopped)))
        {
            runId = await OuroProcess.StartedRunAsync(process);
            await OuroProcess.TerminateWhenAsync(process, () => File.Exists(stopped) && SafeCount(stopped) >= 3, TimeSpan.FromSeconds(30), pollMs: 50);
            Assert.Equal(143, process.ExitCode);
        }
        Assert.NotEqual(through.Count, Models(stopped).Count);
        var resumed = await OuroProcess.RunAsync("self-reward", "--resume", runId, "--db", stopped);
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Equal(through, Models(stopped));
    }

    private static int SafeCount(string db)
    {
        try { return Rows(db, "SELECT count(*) FROM self_reward_iterations WHERE finished = 1").Select(int.Parse).Single(); }
        catch (SqliteException) { return 0; }
    }

    [Fact]
    public async Task The_demonstration_refuses_a_users_prompts_or_trainer_in_one_line()
    {
        var prompts = Path.Combine(_dir, "prompts.txt");
        File.WriteAllText(prompts, "hello\n");
        var (exit, _, stderr) = await OuroProcess.RunAsync("self-reward", "--demo", "--prompts", prompts, "--db", Path.Combine(_dir, "x.db"));
        Assert.Equal(2, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("--prompts", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "x.db")));

        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """{"demo": {"width": 30, "heads": 4}}""");
        (exit, _, stderr) = await OuroProcess.RunAsync("self-reward", "--demo", "--config", bad, "--db", Path.Combine(_dir, "x.db"));
        Assert.Equal(2, exit);
        Assert.Contains("demo.width", stderr);
    }
}
