using Ouroboros.Runs;
using Ouroboros.Statistics;
using Ouroboros.Store;

namespace Ouroboros.Reporting;

/// <summary>
/// Everything a reader needs to judge one run, read back from the store: for a STOP run its
/// iterations and the best-of-N baseline, for a transfer run STOP's Table 1, for other experiments
/// their own section (<see cref="IReportSection"/>), and for every run its safety events and model usage. Every mean carries its n
/// and 95% interval. Built by <see cref="RunReportBuilder"/>; rendered by <see cref="ReportJson"/>,
/// <see cref="MarkdownReport"/>, <see cref="SvgPlot"/> and the CLI's tables.
/// </summary>
public sealed record RunReport(
    RunRow Run,
    string? Task,
    string? Model,
    IReadOnlyList<IterationReport> Iterations,
    BaselineReport? Baseline,
    string? AdoptionTest,
    IReadOnlyList<TransferReport> Transfers,
    IReadOnlyList<SafetyCount> Safety,
    ModelUsage Usage)
{
    public string Id => Run.Id;
    public string Kind => Run.Kind;

    /// <summary>How the run stands when read: its stored status, or <c>stale</c> for a <c>running</c> run no live process holds.</summary>
    public RunState State { get; init; } = new(Run.Status, null, null);

    /// <summary>The improvers as a tree by the improver that produced them, for a run with iterations (<see cref="LineageQuery"/>).</summary>
    public Lineage? Lineage { get; init; }

    /// <summary>
    /// A STOP run's one-line answer: did the final improver beat the budget-matched baseline on test
    /// (<see cref="Reporting.Verdict"/>)? Null for other kinds of run.
    /// </summary>
    public Verdict? Verdict { get; init; }

    /// <summary>u(s) of each of the run's tasks, as the run measured it: the reference every improver starts from.</summary>
    public IReadOnlyList<SeedUtility> SeedUtilities { get; init; } = [];

    /// <summary>u(s) on validation and on test, the mean over the run's tasks; null on a split the run did not score it on.</summary>
    public (double? Val, double? Test) Us => (SeedUtilityQuery.Mean(SeedUtilities, u => u.Val), SeedUtilityQuery.Mean(SeedUtilities, u => u.Test));

    /// <summary>The experiment's own tables (<see cref="IReportSection"/>), in order; none when it contributes none.</summary>
    public IReadOnlyList<ReportTable> ExperimentTables { get; init; } = [];

    /// <summary>The experiment's own section as JSON, reported under the run's kind; null when it has none.</summary>
    public System.Text.Json.Nodes.JsonNode? ExperimentJson { get; init; }

    /// <summary>The iteration whose improver the run ended with: the last adopted one, else the seed improver.</summary>
    public IterationReport? Final => Iterations.LastOrDefault(i => i.Adopted) ?? Iterations.FirstOrDefault(i => i.T == 0);
}

/// <summary>One iteration of a STOP run: the candidate improver at t, its meta-utility on both splits, and the adoption decision.</summary>
public sealed record IterationReport(int T, string ImproverHash, MeanInterval Val, MeanInterval Test, bool Adopted, string Reason);

/// <summary>The seed improver repeated at the run's model and utility budget (best-of-N): what self-improvement must beat.</summary>
/// <remarks>A count the loop did not record is null, not zero.</remarks>
public sealed record BaselineReport(string Method, int Runs, long? Completions, long? UtilityCalls, MeanInterval? Val, MeanInterval? Test)
{
    /// <summary>The best-of-N solution itself: its validation utility (what chose it) and its test utility.</summary>
    public (double Val, double Test)? Best { get; init; }
}

/// <summary>How many safety events of one kind a run raised, and from how many distinct programs.</summary>
public sealed record SafetyCount(string Kind, int Events, int Programs);

/// <summary>
/// One row of STOP's Table 1: a task the improver was not optimised on, the seed solution's utility
/// u(s), and the meta-utilities of the seed improver û(I₀) and the improved improver û(I_T), per split.
/// </summary>
public sealed record TransferRow(string Task, double? UsVal, double? UsTest,
    MeanInterval? SeedVal, MeanInterval? SeedTest, MeanInterval? ImprovedVal, MeanInterval? ImprovedTest);

/// <summary>A transfer run's Table 1: which improver was carried over, and its rows.</summary>
public sealed record TransferReport(string RunId, string Improver, IReadOnlyList<TransferRow> Rows);

/// <summary>
/// Language-model usage while the run was open: in total and per recursion level, and its critical
/// path — the model round trips the run made one after another (null for runs from before it was
/// counted, or not finished): what its wall time follows when the model is slow.
/// </summary>
public sealed record ModelUsage(ModelCallTotals Total, IReadOnlyList<LevelUsage> ByLevel, long? CriticalPath = null)
{
    /// <summary>
    /// A STOP run's usage by phase, as the run itself counted it: the self-improvement loop, then
    /// what came after it (the baseline, and the transfer table when the run had one). Empty for
    /// other runs and for STOP runs stored before the loop's usage was kept.
    /// </summary>
    public IReadOnlyList<PhaseUsage> Phases { get; init; } = [];

    /// <summary>True when some token counts are estimates (the offline model counts none), not a provider's count.</summary>
    public bool TokensEstimated { get; init; }

    /// <summary>False when the calls recorded no cost: the model had no price, so the run shows no dollars.</summary>
    public bool Priced { get; init; } = true;

    /// <summary>Model faults by kind: calls that ended with each, and faults of each kind the retry hid. Empty for a clean run.</summary>
    public IReadOnlyList<ModelFaultCount> Faults { get; init; } = [];

    /// <summary>Calls that failed: ended with a fault other than <c>no_code_block</c>, whose text still arrived.</summary>
    public long FailedCalls => Faults.Where(f => f.Kind != Models.ModelFaults.Name(Models.ModelFaultKind.NoCodeBlock)).Sum(f => f.Failed);

    /// <summary>
    /// Said first in every report when a quarter or more of the model calls failed: inside an improver
    /// a failed call is an error it sees, so such a run's scores measure the provider as much as the
    /// improver (one with 9 of 12 calls failed scored 0.16 against 0.91 clean).
    /// </summary>
    public string? Warning => Total.Calls > 0 && FailedCalls * 4 >= Total.Calls
        ? $"Warning: {FailedCalls} of {Total.Calls} model calls failed; scores are not comparable with a clean run."
        : null;
}

/// <summary>One kind of model fault: calls that ended with it (after retries), and faults of it that were retried.</summary>
public sealed record ModelFaultCount(string Kind, long Failed, long Retried);

/// <summary>
/// Model usage of one phase of a STOP run: calls, completions, and its critical path. The phases run
/// one after another, so their critical paths add up to the run's.
/// </summary>
public sealed record PhaseUsage(string Phase, long Calls, long Completions, long? CriticalPath);

/// <summary>Model calls at one recursion level of the run (see <see cref="Models.ModelCaller"/>: 0 is the improver improving itself).</summary>
public sealed record LevelUsage(int Level, ModelCallTotals Totals);
