using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Compilation;
using Ouroboros.Safety;
using Ouroboros.Sandbox;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Stop;

/// <summary>
/// What every part of one STOP run shares: its id and store, the sandbox, the model, the
/// downstream task and the budgets. Scoring goes through here so that every evaluation, every
/// program and every safety event lands in the store as it happens.
/// </summary>
public sealed class StopRun
{
    private readonly UtilityEvaluator _evaluator;
    private double? _seedValidation;

    public StopRun(string id, RunRecords records, ISandbox sandbox, IChatClient model, DownstreamTask task, StopOptions options, RunProgress progress)
    {
        Id = id; Records = records; Model = model; Task = task; Options = options.Validate(); Progress = progress;
        // Text is bounded before the run remembers it, so what is stored and what a resume replays agree.
        Sandbox = new RecordedSandbox(new BoundedOutputSandbox(sandbox, records.Limits), records, id);
        _evaluator = new UtilityEvaluator(Sandbox);
    }

    public string Id { get; }
    public RunRecords Records { get; }
    public ISandbox Sandbox { get; }
    public IChatClient Model { get; }
    public DownstreamTask Task { get; }
    public StopOptions Options { get; }
    public RunProgress Progress { get; }

    /// <summary>A task's utility of one solution on a split (<c>val</c> or <c>test</c>), stored with its instances and events.</summary>
    public async Task<UtilityResult> EvaluateAsync(string solution, string split, string? parentHash, CancellationToken cancellationToken)
    {
        Remember(solution, "solution", parentHash);
        var result = await _evaluator.EvaluateAsync(Task, solution, split, cancellationToken);
        var s = Task.Utility.SplitNamed(split);
        var instances = new JsonArray(result.Instances.Select(i => (JsonNode?)new JsonObject
        {
            ["seed"] = i.Seed, ["score"] = i.Score, ["status"] = i.Status, ["ms"] = Math.Round(i.RunMs, 2),
        }).ToArray());
        var statuses = new JsonObject();
        foreach (var g in result.Instances.GroupBy(i => i.Status)) statuses[g.Key] = g.Count();
        Records.PutEvaluation(new EvaluationRow(Id, result.ProgramHash, Task.Id, split, $"{s.FirstSeed}+{s.Count}", result.Utility,
            instances, statuses, result.Instances.Sum(i => i.RunMs)));
        Record(result.Events);
        Progress.Evaluated();
        return result;
    }

    /// <summary>u(s) on the validation split: what the utility's "too good to be true" guard measures jumps from.</summary>
    public async Task<double> SeedValidationAsync(CancellationToken cancellationToken) =>
        _seedValidation ??= (await EvaluateAsync(Task.SeedSolution, Split.ValidationName, null, cancellationToken)).Utility;

    /// <summary>
    /// Stores a program (content-addressed) with its parent: the improver that produced it (a candidate
    /// improver's is the improver that improved itself, a solution's the improver that wrote it), null
    /// for seeds. The first parent stored is kept, so a program two improvers produced counts for the first.
    /// </summary>
    public string Remember(string source, string kind, string? parentHash)
    {
        var hash = ProgramHash.Of(source);
        Records.PutProgram(hash, kind, source, parentHash, Id);
        return hash;
    }

    public void Record(IEnumerable<SafetyEvent> events) => Records.AddEvents(Id, events);
}
