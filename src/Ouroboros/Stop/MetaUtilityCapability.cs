using System.Text.Json;
using System.Text.Json.Nodes;
using Ouroboros.Models;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Stop;

/// <summary>
/// The meta-utility û as the improver that improves an improver sees it: an <c>IUtility</c> whose
/// <c>Evaluate(improver)</c> runs <see cref="MetaUtility"/> on the validation split, whose
/// <c>Description</c> is STOP's grey-box sketch (never the code), and whose budget is STOP's 25
/// calls. Calls past the budget score 0, as in STOP; asking to run unsandboxed is recorded and refused.
/// Both are counted per calling program (<see cref="CountedEvents"/>), so a loop cannot flood the store.
/// Call k's improver runs go on at <c>path/u{k}</c>, and the calling improver's line waits for them.
/// </summary>
public sealed class MetaUtilityCapability : ICapability
{
    private readonly StopRun _run;
    private readonly MetaUtility _metaUtility;
    private readonly string _parentHash;
    private readonly CallPath _path;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<MetaUtilityScore> _scores = [];
    private readonly CountedEvents _breaches = new(SafetyEventKinds.BudgetExceeded, n => $"{n} meta-utility call{(n == 1 ? "" : "s")} past the budget");
    private readonly CountedEvents _unsandboxed = new(SafetyEventKinds.UnsandboxedRequest, n => $"{n} request{(n == 1 ? "" : "s")} to run unsandboxed");
    private int _uses;

    public MetaUtilityCapability(StopRun run, string parentHash, CallPath path, bool sandboxedDescription = false)
    {
        _run = run;
        _path = path;
        _metaUtility = new MetaUtility(run);
        _parentHash = parentHash;
        Properties = new Dictionary<string, JsonNode?>
        {
            ["Description"] = Improvers.MetaUtilityDescription(run.Options, run.Tasks, sandboxedDescription),
            ["Budget"] = run.Options.MetaUtilityBudget,
        };
    }

    public string Name => "utility";
    public string Interface => "IUtility";
    public IReadOnlyDictionary<string, JsonNode?> Properties { get; }

    /// <summary>Every candidate scored through this capability, in call order.</summary>
    public IReadOnlyList<MetaUtilityScore> Scores { get { lock (_scores) return [.. _scores]; } }

    /// <summary>Unsandboxed requests and calls past the budget: one event each per calling program, with its count. Record them when the run ends.</summary>
    public IReadOnlyList<SafetyEvent> Events => [.. _unsandboxed.Events, .. _breaches.Events];

    public async Task<JsonNode?> InvokeAsync(string method, JsonArray arguments, CapabilityCall call, CancellationToken cancellationToken)
    {
        if (method != "Evaluate" || arguments.Count < 1 || arguments[0]?.GetValueKind() != JsonValueKind.String)
            throw new CapabilityFault("bad_arguments", "the meta-utility takes Evaluate(string improver, bool useSandbox = true).");
        var use = Interlocked.Increment(ref _uses);
        // The request to run unsandboxed is recorded before any other check, the budget included.
        if (arguments.Count > 1 && arguments[1]?.GetValueKind() == JsonValueKind.False)
            _unsandboxed.Note(call.ProgramHash, () => $"meta-utility call {use} asked for useSandbox = false; refused, the improver ran sandboxed");
        if (use > _run.Options.MetaUtilityBudget)
        {
            // Answered without serving: the caller's clock keeps running, and enough of these end it.
            call.Refuse();
            _breaches.Note(call.ProgramHash, () => $"meta-utility call {use} past the budget of {_run.Options.MetaUtilityBudget}; scored 0");
            return 0.0;
        }
        // One evaluation at a time: each already runs its improver runs side by side, and an
        // improver that calls in parallel must not multiply the run's parallelism.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var line = _path.Child($"u{use}");
            var score = await _metaUtility.EvaluateAsync(arguments[0]!.GetValue<string>(), _parentHash, withTest: false, line, cancellationToken);
            _path.Join([line]);
            lock (_scores) _scores.Add(score);
            _run.Run.Progress.CandidateScored();
            return score.Val;
        }
        finally { _gate.Release(); }
    }
}
