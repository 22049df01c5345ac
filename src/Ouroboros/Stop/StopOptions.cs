using Ouroboros.Models;

namespace Ouroboros.Stop;

/// <summary>
/// STOP's budgets and sizes (stop.md §3.2), validated up front so a bad configuration fails before
/// the run starts. The defaults are the paper's.
/// </summary>
public sealed record StopOptions
{
    /// <summary>Self-improvement iterations T.</summary>
    public int Iterations { get; init; } = 3;

    /// <summary>Improver runs averaged by one meta-utility evaluation (STOP: 5 copies of (u, s)).</summary>
    public int MetaUtilityRuns { get; init; } = 5;

    /// <summary>Language-model calls per improver run (STOP: 4).</summary>
    public int ModelBudget { get; init; } = 4;

    /// <summary>Responses per call (STOP: 6).</summary>
    public int MaxResponsesPerCall { get; init; } = 6;

    /// <summary>How much prompt text one improver run may send (not in STOP, whose budget counted calls only).</summary>
    public PromptLimits Prompts { get; init; } = PromptLimits.Default;

    /// <summary>Utility calls per improver run (STOP: n·m + 1 = 25).</summary>
    public int UtilityBudget { get; init; } = 25;

    /// <summary>Meta-utility calls per improvement of the improver (STOP: 25).</summary>
    public int MetaUtilityBudget { get; init; } = 25;

    /// <summary>
    /// Wall-clock limit of one improver run, not counting time the host spends serving its calls
    /// (model completions, utility evaluations): the improver's own compute.
    /// </summary>
    public TimeSpan ImproverTimeLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Seed of everything stochastic the host controls (the offline model's draws among them).</summary>
    public ulong Seed { get; init; } = 1;

    public StopOptions Validate()
    {
        if (Iterations is < 1 or > 100) throw new ArgumentException($"--iterations must be between 1 and 100, not {Iterations}.");
        if (MetaUtilityRuns is < 1 or > 100) throw new ArgumentException($"--runs must be between 1 and 100, not {MetaUtilityRuns}.");
        if (ModelBudget < 1 || MaxResponsesPerCall < 1) throw new ArgumentException("The model budget and responses per call must be at least 1.");
        if (UtilityBudget < 1 || MetaUtilityBudget < 1) throw new ArgumentException("Utility budgets must be at least 1.");
        try { Prompts.Validate(); }
        catch (ModelConfigurationException e) { throw new ArgumentException(e.Message); }
        if (ImproverTimeLimit <= TimeSpan.Zero) throw new ArgumentException("The improver time limit must be positive.");
        return this;
    }
}
