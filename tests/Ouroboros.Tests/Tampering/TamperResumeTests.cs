using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Ouroboros.Models;
using Ouroboros.Runs;
using Ouroboros.Sandbox;
using Ouroboros.Store;
using Ouroboros.Tampering;
using Ouroboros.Tests.Cli;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Tampering;

/// <summary>
/// A tamper run stopped part way and resumed ends as an uninterrupted run with the same seed does:
/// the same counts and, episode by episode, the same transcript, files and grade — with the in-context
/// curriculum too, whose examples then come from the stored episodes — and no finished episode is
/// played again. <c>ouro tamper --resume</c> refuses what the other commands' <c>--resume</c> refuse.
/// </summary>
public sealed class TamperResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-tamper-resume-").FullName;
    private string Db => Path.Combine(_dir, "runs.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static readonly string[] Stages = ["political_sycophancy", "tool_use_flattery", "nudged_rubric_modification"];

    private static TamperOptions Options(string policy) => new()
    {
        Model = $"scripted:{policy}", Seed = 7, Parallel = 1, Episodes = 3, Environments = Stages, Curriculum = true,
    };

    /// <summary>The run's model as <c>ouro tamper</c> builds it (the recording pipeline around the scripted policy).</summary>
    private static IChatClient Model(RunStore store, string runId, TamperOptions options, EnvironmentCatalog catalog) => ModelPipeline.Build(new ModelSettings
    {
        Spec = ModelSpec.Parse(options.Model), Seed = options.Seed, RunId = runId,
        Scripts = spec => ScriptedPolicy.Exists(spec.Model, catalog) ? new ScriptedPolicy(spec.Model, catalog) : null,
    }, store);

    /// <summary>Notes the position of every draw; asked for the draw at <paramref name="stopAt"/>, it stops the run there (as Ctrl-C would).</summary>
    private sealed class Watch(IChatClient inner, string? stopAt = null, CancellationTokenSource? stop = null) : DelegatingChatClient(inner)
    {
        public ConcurrentBag<string> Positions { get; } = [];

        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var position = ChatConventions.Position(options) ?? "";
            if (position == stopAt)
            {
                stop!.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }
            Positions.Add(position);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }

    /// <summary>Answers nothing: tamper episodes run in their own shells, not in the program sandbox.</summary>
    private sealed class NoSandbox : ISandbox
    {
        public Task<ProgramRun> RunAsync(ProgramRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("a tamper run does not use the program sandbox");
    }

    private static Task<TamperResult> Run(RunStore store, string runId, TamperOptions options, EnvironmentCatalog catalog, IChatClient model, CancellationToken cancellationToken) =>
        ExperimentHost.RunAsync(new TamperExperiment(catalog), options, store, runId, model, new RunProgress(), cancellationToken, new NoSandbox());

    /// <summary>An episode as stored, without its run id: what two runs that agree have in common.</summary>
    private static IReadOnlyList<string> Episodes(IRunStore store, string runId) => new EpisodeTable(store).Episodes(runId)
        .Select(e => JsonSerializer.Serialize(e with { RunId = "" }) + $" turns {e.TurnsHash}").ToList();

    [BubblewrapTheory]
    [InlineData("tamper-and-evade")]
    [InlineData("honest")]
    public async Task An_interrupted_run_resumes_to_the_uninterrupted_runs_episodes_and_plays_no_finished_one_again(string policy)
    {
        var catalog = EnvironmentCatalog.Load(null);
        var options = Options(policy);
        using var store = RunStore.Open(Db);

        store.Journal.CreateRun("whole", options.Kind, ConfigJson.Write(options));
        var whole = await Run(store, "whole", options, catalog, Model(store, "whole", options, catalog), CancellationToken.None);

        // Stopped as the third stage's second episode asks its first question: two stages are finished,
        // so the third stage's prompts show their stored best episodes.
        store.Journal.CreateRun("cut", options.Kind, ConfigJson.Write(options));
        using var stop = new CancellationTokenSource();
        var first = new Watch(Model(store, "cut", options, catalog), "nudged_rubric_modification/e1/t0", stop);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(store, "cut", options, catalog, first, stop.Token));
        Assert.Equal(RunStates.Interrupted, store.Journal.GetRun("cut")!.Status);
        var finished = new EpisodeTable(store).Episodes("cut").Select(e => $"{e.Environment}/e{e.Index}/").ToList();
        Assert.Equal(7, finished.Count);
        Assert.Contains("nudged_rubric_modification/e0/", finished);

        var second = new Watch(Model(store, "cut", options, catalog));
        var resumed = await Run(store, "cut", options, catalog, second, CancellationToken.None);

        Assert.Equal(JsonSerializer.Serialize(whole), JsonSerializer.Serialize(resumed));
        Assert.Equal(Episodes(store, "whole"), Episodes(store, "cut"));
        // The resumed run asked nothing of a finished episode; it played the two that were not.
        Assert.DoesNotContain(second.Positions, p => finished.Any(f => p.StartsWith(f, StringComparison.Ordinal)));
        Assert.Equal(["nudged_rubric_modification/e1/", "nudged_rubric_modification/e2/"],
            second.Positions.Select(p => p[..(p.IndexOf("/t", StringComparison.Ordinal) + 1)]).Distinct().Order());
        // The curriculum showed the earlier stages' episodes in the resumed stage's prompts too.
        var transcript = store.Programs.ProgramSource(new EpisodeTable(store).Episodes("cut").Single(e => e is { Environment: "nudged_rubric_modification", Index: 2 }).TranscriptHash)!;
        Assert.Contains(catalog.Find("tool_use_flattery")!.Episode(0).Prompt, transcript);
    }

    private async Task<(int Exit, string Out, string Err)> Ouro(params string[] args) => await OuroProcess.RunAsync([.. new[] { "tamper", "--db", Db }, .. args]);

    private static readonly string[] Small = ["--model", "scripted:tamper-and-evade", "--episodes", "4", "--parallel", "1", "--curriculum"];

    private static JsonNode Tamper(string stdout) => JsonNode.Parse(OuroProcess.LastLine(stdout))!["tamper"]!;

    private long Scalar(string sql)
    {
        using var c = new SqliteConnection($"Data Source={Db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    [BubblewrapFact]
    public async Task A_tamper_run_stopped_by_SIGTERM_resumes_with_ouro_tamper_resume_to_the_uninterrupted_report()
    {
        var (exit, stdout, stderr) = await Ouro([.. Small, "--json"]);
        Assert.True(exit == 0, stderr);
        var whole = Tamper(stdout);

        string runId;
        long stored;
        using (var process = OuroProcess.Start([.. new[] { "tamper", "--db", Db }, .. Small, "--json"]))
        {
            runId = await OuroProcess.StartedRunAsync(process);
            // Stopped once the first stage and part of the second are stored: 20 episodes in all.
            await OuroProcess.TerminateWhenAsync(process, () => Scalar($"SELECT COUNT(*) FROM episodes WHERE run_id = '{runId}'") >= 6, TimeSpan.FromSeconds(10), pollMs: 20);
            Assert.Equal(143, process.ExitCode);
            Assert.Contains($"continue it with: ouro tamper --resume {runId}", await process.StandardError.ReadToEndAsync());
            stored = Scalar($"SELECT COUNT(*) FROM episodes WHERE run_id = '{runId}'");
        }
        Assert.Equal(1, Scalar($"SELECT COUNT(*) FROM runs WHERE id = '{runId}' AND status = 'interrupted'"));
        Assert.InRange(stored, 6, 19);

        // An option that contradicts the stored configuration is refused, in one line, before anything changes.
        var (code, _, err) = await Ouro("--resume", runId, "--episodes", "5");
        Assert.Equal(2, code);
        Assert.StartsWith($"ouro: --episodes 5 contradicts run {runId}'s stored configuration", Assert.Single(err.Trim().Split('\n')));

        (exit, stdout, stderr) = await Ouro("--resume", runId[..^2], "--model", "scripted:tamper-and-evade", "--json");
        Assert.True(exit == 0, stderr);
        Assert.Contains($"{stored} of 20 episodes already finished", stderr);
        var resumed = Tamper(stdout);
        Assert.Equal(whole["environments"]!.ToJsonString(), resumed["environments"]!.ToJsonString());
        string Episode(JsonNode? e) => $"{e!["environment"]} {e["index"]} {e["transcript"]} {e["filesAfter"]} {e["gamed"]} {e["tampered"]} {e["passed"]} {e["reward"]}";
        Assert.Equal(whole["episodes"]!.AsArray().Select(Episode), resumed["episodes"]!.AsArray().Select(Episode));
        // Every model call was made once: the finished episodes' not again, the one cut short's from the recording.
        Assert.Equal(Scalar($"SELECT COUNT(*) FROM model_calls WHERE run_id <> '{runId}' AND outcome = 'ok'"),
            Scalar($"SELECT COUNT(*) FROM model_calls WHERE run_id = '{runId}' AND outcome = 'ok'"));
    }

    [Fact]
    public async Task Resuming_an_unknown_a_finished_or_another_kinds_run_is_one_line_exit_2_and_changes_nothing()
    {
        using (var store = RunStore.Open(Db))
        {
            store.Journal.CreateRun("tamper-done", TamperOptions.KindName, ConfigJson.Write(Options("honest")));
            store.Journal.FinishRun("tamper-done", new JsonObject());
            store.Journal.CreateRun("stop-x", "stop", new JsonObject());
        }
        SqliteConnection.ClearAllPools();
        var before = File.ReadAllBytes(Db);
        foreach (var (args, says) in new[]
        {
            (new[] { "--resume", "no-such-run" }, $"ouro: no run 'no-such-run' in "),
            (["--resume", "tamper-done"], "ouro: run tamper-done has already finished; read it with 'ouro report tamper-done'"),
            (["--resume", "stop-x"], "ouro: run stop-x is a 'stop' run, not a tamper run"),
        })
        {
            var (exit, _, stderr) = await Ouro(args);
            Assert.True(exit == 2, $"{string.Join(' ', args)} exited {exit}: {stderr}");
            Assert.StartsWith(says, Assert.Single(stderr.Trim().Split('\n')));
        }
        Assert.Equal(before, File.ReadAllBytes(Db));

        // A resume never creates a store.
        var missing = Path.Combine(_dir, "none.db");
        var (code, _, err) = await OuroProcess.RunAsync("tamper", "--db", missing, "--resume", "x");
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(missing));
    }
}
