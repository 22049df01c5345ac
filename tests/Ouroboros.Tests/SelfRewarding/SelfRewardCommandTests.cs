using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Ouroboros.Models;
using Ouroboros.SelfRewarding;
using Ouroboros.Tests.Cli;
using Ouroboros.Tests.Models;

namespace Ouroboros.Tests.SelfRewarding;

/// <summary>
/// <c>ouro self-reward</c> as a user runs it: a scripted OpenAI-compatible server on 127.0.0.1 plays
/// M1, M2, M3 (answers padded by the request's seed; a judgement scores an answer by its padding),
/// and a stand-in trainer script checks the pairs it gets and names the next model on the same server.
/// </summary>
public sealed class SelfRewardCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-self-reward-").FullName;
    private string Db => Path.Combine(_dir, "runs.db");
    private string Log => Path.Combine(_dir, "trainer.log");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Answers and judgements, both functions of the request: nothing here is a language model.</summary>
    private static async Task Answer(string body, HttpContext context)
    {
        if (!context.Request.Path.Value!.EndsWith("/chat/completions"))
        {
            await StubServer.Json(context, """{"object":"list","data":[{"id":"m1"},{"id":"m2"},{"id":"m3"}]}""");
            return;
        }
        var (messages, options) = OpenAIWire.ParseRequest(body);
        var model = JsonNode.Parse(body)!["model"]!.ToString();
        var prompt = ChatConventions.LastUserText(messages);
        int n = ChatConventions.Count(options);
        long seed = options.Seed ?? 0;
        IReadOnlyList<string> texts = prompt.StartsWith("Review the user’s question", StringComparison.Ordinal)
            ? [$"The response is padded. Score: {Padding(prompt) % 6}"]
            : Enumerable.Range(0, n).Select(i => $"{model} says {prompt.Length}" + new string('x', (int)((seed + i) % 9))).ToList();
        await StubServer.Json(context, OpenAIWire.Response(model, texts, null).ToJsonString());
    }

    private static int Padding(string judgePrompt)
    {
        int start = judgePrompt.IndexOf("<response>", StringComparison.Ordinal), end = judgePrompt.IndexOf("</response>", StringComparison.Ordinal);
        return judgePrompt[start..end].Count(c => c == 'x');
    }

    /// <summary>The stand-in trainer: checks the pairs' shape, logs what it trained, names M_t+1 on the same server; hangs once at <c>HANG_AT</c>.</summary>
    private string Trainer(Uri server)
    {
        var path = Path.Combine(_dir, "trainer.sh");
        File.WriteAllText(path, $$"""
            #!/bin/sh
            set -e
            n=$(wc -l < "$OURO_PAIRS")
            good=$(grep -c '^{"prompt":".*","chosen":".*","rejected":".*","score_chosen":[0-9.]*,"score_rejected":[0-9.]*,"iteration":'"$OURO_ITERATION"'}$' "$OURO_PAIRS" || true)
            [ "$good" -eq "$n" ] && [ "$n" -eq "$OURO_PAIR_COUNT" ] || { echo "bad pairs: $good of $n" >&2; exit 3; }
            if [ "$OURO_ITERATION" = "${HANG_AT:-}" ] && [ ! -e '{{_dir}}/hung' ]; then
                echo $$ > '{{_dir}}/hung'
                exec sleep 60
            fi
            echo "$OURO_ITERATION $OURO_MODEL $n" >> '{{Log}}'
            echo "openai:{{server}}#m$((OURO_ITERATION + 1))" > "$OURO_OUTPUT"
            """);
        return $"sh '{path}'";
    }

    private string[] Args(Uri server, string db) =>
    [
        "self-reward", "--db", db, "--model", $"openai:{server}#m1", "--prompts", Prompts(), "--trainer-command", Trainer(server),
        "--iterations", "2", "--prompts-per-iteration", "3", "--candidates", "4", "--judge-samples", "2", "--export-pairs", Path.Combine(_dir, "pairs"),
    ];

    private string Prompts()
    {
        var path = Path.Combine(_dir, "prompts.jsonl");
        File.WriteAllText(path, "{\"prompt\": \"Name a colour.\"}\nWhat is 2 + 2?\n\n{\"prompt\": \"Write a haiku.\"}\nSpell cat.\nCount to three.\nSay hi.\n");
        return path;
    }

    [Fact]
    public async Task Runs_M1_to_M3_writes_each_iterations_pairs_and_reports_them()
    {
        await using var stub = await StubServer.StartAsync((_, body, context) => Answer(body, context));
        var (exit, stdout, stderr) = await OuroProcess.RunAsync([.. Args(stub.BaseUrl, Db), "--json"]);
        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(OuroProcess.LastLine(stdout))!;
        var runId = (string)report["run"]!;

        var models = report["self-reward"]!["models"]!.AsArray();
        Assert.Equal(["self M1", "self M2", "self M3"], models.Select(m => $"{m!["arm"]} {m["model"]}"));
        var chains = report["self-reward"]!["chains"]!.AsArray();
        Assert.Equal([$"openai:{stub.BaseUrl}#m1", $"openai:{stub.BaseUrl}#m2", $"openai:{stub.BaseUrl}#m3"], chains.Select(c => (string)c!["model"]!));
        // M2 answered: the trainer's spec was a model the run then used.
        Assert.Contains(stub.Bodies, b => b.Contains("\"model\":\"m3\""));

        for (int t = 1; t <= 2; t++)
        {
            var pairs = AiftExport.Read(Path.Combine(_dir, "pairs", "self", "s0", $"pairs-t{t}.jsonl"));
            Assert.Equal((int)models[t - 1]!["pairsKept"]!, pairs.Count);
            Assert.All(pairs, p => Assert.True(p.ScoreChosen > p.ScoreRejected && p.Iteration == t));
        }
        var log = File.ReadAllLines(Log);
        Assert.Equal([$"1 openai:{stub.BaseUrl}#m1", $"2 openai:{stub.BaseUrl}#m2"], log.Select(l => string.Join(' ', l.Split(' ')[..2])));

        var (code, text, _) = await OuroProcess.RunAsync("report", runId, "--db", Db, "--out", Path.Combine(_dir, "report"));
        Assert.Equal(0, code);
        Assert.Contains("Self-Rewarding", text);
        Assert.Contains("pairs kept", text);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(_dir, "report", "self-reward.svg")));
    }

    [Fact]
    public async Task A_killed_run_resumes_without_repeating_a_finished_iteration()
    {
        await using var stub = await StubServer.StartAsync((_, body, context) => Answer(body, context));
        using (var process = OuroProcess.Start(new Dictionary<string, string?> { ["HANG_AT"] = "2" }, Args(stub.BaseUrl, Db)))
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!File.Exists(Path.Combine(_dir, "hung")) && !process.HasExited && DateTime.UtcNow < deadline) await Task.Delay(100);
            if (process.HasExited) Assert.Fail($"the run ended before its trainer hung: {await process.StandardError.ReadToEndAsync()}");
            process.Kill();   // SIGKILL: no chance to mark the run interrupted
            // The trainer it started is orphaned, as it would be after a SIGKILL; the test stops it.
            using (var hung = Process.Start("kill", ["-KILL", File.ReadAllText(Path.Combine(_dir, "hung")).Trim()])) await hung.WaitForExitAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)));
        }
        Assert.True(File.ReadAllLines(Log).Length == 1, File.ReadAllText(Log));
        var runId = RunIdIn(Db);
        int requests = stub.Requests;

        var (exit, stdout, stderr) = await OuroProcess.RunAsync("self-reward", "--db", Db, "--resume", runId, "--json");
        Assert.True(exit == 0, stderr);
        // Iteration 1 trained once; iteration 2 once more after the killed attempt, from M2.
        Assert.Equal(["1", "2"], File.ReadAllLines(Log).Select(l => l.Split(' ')[0]));
        Assert.EndsWith("#m2", File.ReadAllLines(Log)[1].Split(' ')[1]);
        var chains = JsonNode.Parse(OuroProcess.LastLine(stdout))!["self-reward"]!["chains"]!.AsArray();
        Assert.Equal(3, chains.Count);
        // M1's answers and judgements were not asked for again: the resume began at M2.
        Assert.DoesNotContain(stub.Bodies.Skip(requests), b => b.Contains("\"model\":\"m1\""));
    }

    [Fact]
    public async Task A_failing_trainer_fails_the_run_in_one_line_with_its_own_exit_code_and_bad_input_is_refused()
    {
        await using var stub = await StubServer.StartAsync((_, body, context) => Answer(body, context));
        string[] args = [.. Args(stub.BaseUrl, Db)];
        args[Array.IndexOf(args, "--trainer-command") + 1] = "echo 'no GPU here' >&2; exit 5";
        var (exit, _, stderr) = await OuroProcess.RunAsync(args);
        Assert.Equal(9, exit);
        Assert.Matches(@"^ouro: run \S+ failed at iteration 1: the trainer command exited with 5 \(stderr: no GPU here\); its files are in .*; fix the trainer and continue it with: ouro self-reward --resume \S+$",
            OuroProcess.LastLine(stderr));

        (exit, _, stderr) = await OuroProcess.RunAsync("self-reward", "--db", Path.Combine(_dir, "other.db"), "--model", $"openai:{stub.BaseUrl}#m1",
            "--prompts", Path.Combine(_dir, "missing.txt"), "--trainer-command", "true");
        Assert.Equal(2, exit);
        Assert.Equal($"ouro: --prompts {Path.Combine(_dir, "missing.txt")} does not exist", Assert.Single(stderr.Trim().Split('\n')));
        Assert.False(File.Exists(Path.Combine(_dir, "other.db")));
    }

    private static string RunIdIn(string db)
    {
        using var connection = new SqliteConnection($"Data Source={db}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM runs";
        return (string)command.ExecuteScalar()!;
    }
}
