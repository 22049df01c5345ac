using Microsoft.Extensions.AI;
using Ouroboros.Contracts;
using Ouroboros.Models;
using Ouroboros.Runs;
using Ouroboros.Sandbox;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tasks;
using Ouroboros.Tests.Models;

namespace Ouroboros.Tests.Stop;

/// <summary>
/// A whole STOP run (<see cref="StopExperiment"/> through <see cref="ExperimentHost"/>) that takes
/// well under a second: two scripted tasks, improvers played by a <see cref="ScriptedSandbox"/>, and
/// a scripted model whose answers depend only on the request (its message and its position seed),
/// behind the model pipeline's own middlewares so that positions, recording and replay are real.
/// </summary>
internal static class ScriptedStop
{
    public static readonly IReadOnlyList<DownstreamTask> Tasks = [ScriptedTask.Create("scripted-a", 0.1), ScriptedTask.Create("scripted-b", 0.2)];

    /// <summary>A task no run selects on: the meta-test task of the transfer table.</summary>
    public static readonly DownstreamTask MetaTest = ScriptedTask.Create("scripted-c", 0.3);

    /// <summary>The improvers a model can propose; each prompts with its input and keeps the best answer by utility, in its own way.</summary>
    public static readonly IReadOnlyList<string> Proposals = ["improver: two calls", "improver: first answer", "improver: keeps its input"];

    public static StopOptions Options(int parallel) => new()
    {
        Tasks = Tasks.Select(t => t.Id).ToList(), Iterations = 2, MetaUtilityRuns = 2, MetaUtilityBudget = 3,
        ModelBudget = 2, MaxResponsesPerCall = 3, Parallel = parallel, Seed = 11,
    };

    /// <summary>The tests' catalog: their own tasks (a task folder would compile a Problem.cs with Roslyn, seconds a test does not need).</summary>
    public static TaskCatalog Catalog() =>
        TaskCatalog.Of([.. Tasks, MetaTest]);

    public static ScriptedSandbox Sandbox(int delaySeed, Func<double, double>? scoring = null) => new(new Dictionary<string, Func<ImproverPlay, Task<Played>>>
    {
        [Improvers.Seed] = p => BestOf(p, calls: 1, n: 3),
        [Proposals[0]] = p => BestOf(p, calls: 2, n: 2),
        [Proposals[1]] = async p => Played.Returns(CodeBlocks.Largest((await p.PromptAsync(Message(p)))[0])),
        [Proposals[2]] = p => Task.FromResult(Played.Returns(p.InitialSolution)),
    }, delaySeed) { Scoring = scoring ?? (s => s) };

    private static string Message(ImproverPlay p) => $"Improve:\n```csharp\n{p.InitialSolution}\n```";

    private static async Task<Played> BestOf(ImproverPlay p, int calls, int n)
    {
        string? best = null;
        double bestScore = double.NegativeInfinity;
        for (int c = 0; c < calls; c++)
            foreach (var answer in await p.PromptAsync(Message(p), n))
            {
                var candidate = CodeBlocks.Largest(answer);
                var score = await p.EvaluateAsync(candidate);
                if (score > bestScore) (best, bestScore) = (candidate, score);
            }
        return Played.Returns(best!);
    }

    /// <summary>
    /// The provider: each completion depends only on the request's seed (its position), its sample
    /// index and whether it was asked to improve a solution or an improver. It names itself as the
    /// offline model does, so a replay through <see cref="ModelPipeline.Build"/> finds its recording.
    /// </summary>
    public static ScriptedChatClient Provider() => new((_, messages, options) =>
    {
        long seed = options!.Seed ?? throw new InvalidOperationException("a run's requests carry their position seed");
        long first = ChatConventions.FirstSample(options);
        bool solution = ChatConventions.LastUserText(messages).Contains("```csharp\nsolution ", StringComparison.Ordinal);
        var answers = Enumerable.Range(0, ChatConventions.Count(options)).Select(k =>
        {
            long i = first + k;
            var text = solution ? ScriptedSolution.Of((seed * 31 + i * 17) % 97 / 100.0) : Proposals[(int)((seed + i) % Proposals.Count)];
            return $"Here is my idea.\n```csharp\n{text}\n```";
        });
        return ChatConventions.Response(answers, OfflineModelId);
    }, OfflineModelId);

    private static readonly string OfflineModelId = ModelPipeline.Metadata(ModelSpec.Parse("offline")).DefaultModelId!;

    /// <summary>The recording pipeline around the scripted provider, with the middlewares <see cref="ModelPipeline.Build"/> uses, in its order.</summary>
    public static IChatClient Recording(RunStore store, string runId, ulong seed, IChatClient? provider = null)
    {
        IChatClient client = new RecordReplayChatClient(provider ?? Provider(), new ModelResponseStore(store, runId), RecordReplayMode.Record);
        client = new SampleIndexingChatClient(client);
        client = new LedgerChatClient(client, new ModelCallLog(store, runId));
        return new DrawSeedChatClient(client, seed);
    }

    /// <summary>The model a replay of <paramref name="original"/> uses, as <c>ouro replay</c> builds it: no provider, answers only from the recording.</summary>
    public static ReplayMissWatch Replaying(RunStore store, string runId, string original, ulong seed) =>
        new(ModelPipeline.Build(new ModelSettings
        {
            Spec = ModelSpec.Parse("offline"), Seed = seed, RunId = runId, ResponsesFrom = original, RecordReplay = RecordReplayMode.Replay,
        }, store));

    /// <summary>A STOP run's parts over one scripted task (run "r", its row created, as the store requires of its steps).</summary>
    public static StopRun Parts(IRunStore records, ISandbox sandbox, IChatClient model, ImproverOptions options)
    {
        records.Journal.CreateRun("r", options.Kind, ConfigJson.Write(options));
        return TestRuns.Stop(records, sandbox, model, ScriptedTask.Create(), options);
    }

    public static Task<StopResult> RunAsync(IRunStore records, string runId, StopOptions options, IChatClient model, ISandbox sandbox, string? kind = null)
    {
        records.Journal.CreateRun(runId, kind ?? options.Kind, ConfigJson.Write(options));
        return ExperimentHost.RunAsync(new StopExperiment(Catalog()), options, records, runId, model, new RunProgress(), CancellationToken.None, sandbox);
    }

    /// <summary>An iteration row as text, without its run id: what two runs that agree have in common.</summary>
    public static IReadOnlyList<string> Rows(IRunStore records, string runId) => new IterationTable(records).Iterations(runId)
        .Select(i => $"t={i.T} {i.ImproverHash[..12]} val [{string.Join(", ", i.ValRuns)}] test [{string.Join(", ", i.TestRuns)}] adopted={i.Adopted}: {i.Reason}")
        .ToList();
}
