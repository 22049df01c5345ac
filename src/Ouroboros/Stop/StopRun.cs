using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Tasks;

namespace Ouroboros.Stop;

/// <summary>
/// What the parts of a STOP-family experiment share: the run's context, the improver budgets, and
/// the downstream tasks D. Scoring goes through here so that every evaluation lands in the store
/// as it happens.
/// </summary>
public sealed class StopRun
{
    private readonly UtilityEvaluator _evaluator;
    private readonly ConcurrentDictionary<string, Lazy<Task<double>>> _seedValidation = new();

    public StopRun(RunContext run, ImproverOptions options, IReadOnlyList<DownstreamTask> tasks)
    {
        options.Validate();
        if (tasks.Count == 0) throw new ArgumentException("A STOP run needs at least one downstream task.", nameof(tasks));
        Run = run; Options = options; Tasks = tasks;
        _evaluator = new UtilityEvaluator(run.Sandbox, run.Progress);
    }

    public RunContext Run { get; }
    public ImproverOptions Options { get; }

    /// <summary>D: the downstream tasks, in order.</summary>
    public IReadOnlyList<DownstreamTask> Tasks { get; }

    /// <summary>The same run on other tasks (transfer): same context, budgets and store.</summary>
    public StopRun On(IReadOnlyList<DownstreamTask> tasks) => new(Run, Options, tasks);

    /// <summary>A task's utility of one solution on a split (<c>val</c> or <c>test</c>), stored with its instances and events.</summary>
    public async Task<UtilityResult> EvaluateAsync(DownstreamTask task, string solution, string split, string? parentHash, CancellationToken cancellationToken)
    {
        Run.Remember(solution, "solution", parentHash);

        var result = await _evaluator.EvaluateAsync(task, solution, split, cancellationToken);
        var s = task.Utility.SplitNamed(split);
        var instances = new JsonArray(result.Instances.Select(i => (JsonNode?)new JsonObject
        {
            ["seed"] = i.Seed, ["score"] = i.Score, ["status"] = i.Status, ["ms"] = Math.Round(i.RunMs, 2),
        }).ToArray());
        var statuses = new JsonObject();
        foreach (var g in result.Instances.GroupBy(i => i.Status)) statuses[g.Key] = g.Count();
        Run.Store.Evaluations.PutEvaluation(new Store.EvaluationRow(Run.Id, result.ProgramHash, task.Id, split, $"{s.FirstSeed}+{s.Count}", result.Utility,
            instances, statuses, result.Instances.Sum(i => i.RunMs)));
        Run.Record(result.Events);
        Run.Progress.Evaluated();
        return result;
    }

    /// <summary>A solution's utility on both splits, side by side: (val, test).</summary>
    public async Task<(double Val, double Test)> ScoreAsync(DownstreamTask task, string solution, string? parentHash, CancellationToken cancellationToken)
    {
        var val = EvaluateAsync(task, solution, Split.ValidationName, parentHash, cancellationToken);
        var test = EvaluateAsync(task, solution, Split.TestName, parentHash, cancellationToken);
        return ((await val).Utility, (await test).Utility);
    }

    /// <summary>u(s) on the validation split: what the utility's "too good to be true" guard measures jumps from. Scored once per task.</summary>
    public Task<double> SeedValidationAsync(DownstreamTask task, CancellationToken cancellationToken) =>
        _seedValidation.GetOrAdd(task.Id, _ => new Lazy<Task<double>>(async () =>
            (await EvaluateAsync(task, task.SeedSolution, Split.ValidationName, null, cancellationToken)).Utility)).Value;

    /// <summary>A fresh utility for one improver run on <paramref name="task"/>, its jump guard measured from u(s).</summary>
    public async Task<UtilityCapability> UtilityAsync(DownstreamTask task, CancellationToken cancellationToken) =>
        new(task, Run.Sandbox, baseline: await SeedValidationAsync(task, cancellationToken), observer: Run.Progress);
}
