using System.Text.Json.Serialization;
using Ouroboros.Models;
using Ouroboros.Runs;
using Ouroboros.Tasks;

namespace Ouroboros.Stop;

/// <summary>
/// The budgets every improver run works under, and how a meta-utility evaluation is made (stop.md
/// §3.2), shared by the experiments that run improvers: STOP itself, transfer, improve and the
/// audit. The defaults are the paper's.
/// </summary>
public abstract record ImproverOptions : ExperimentOptions
{
    /// <summary>Improver runs averaged by one meta-utility evaluation, per downstream task (STOP: 5 copies of (u, s)).</summary>
    public int MetaUtilityRuns { get; init; } = 5;

    /// <summary>Language-model calls per improver run (STOP: 4).</summary>
    public int ModelBudget { get; init; } = 4;

    /// <summary>Most responses per model call (STOP: 6).</summary>
    public int MaxResponsesPerCall { get; init; } = 6;

    /// <summary>Meta-utility calls per improvement of the improver (STOP: 25).</summary>
    public int MetaUtilityBudget { get; init; } = 25;

    /// <summary>
    /// Wall-clock limit of one improver run in seconds, not counting time the host spends serving
    /// its calls (model completions, utility evaluations): the improver's own compute.
    /// </summary>
    public int ImproverTimeoutSeconds { get; init; } = 60;

    /// <summary>
    /// Wall-clock limit of one improver run in seconds, counting everything: its own compute and
    /// the time the host spends serving its model and utility calls. What bounds an improver that
    /// keeps calling; past it the run ends as a failed improver run with status <c>timeout</c>.
    /// </summary>
    public int ImproverTotalTimeoutSeconds { get; init; } = 600;

    /// <summary>How much prompt text one improver run may send (not in STOP, whose budget counted calls only).</summary>
    public PromptLimits Prompts { get; init; } = PromptLimits.Default;

    [JsonIgnore]
    public TimeSpan ImproverTimeLimit => TimeSpan.FromSeconds(ImproverTimeoutSeconds);

    [JsonIgnore]
    public TimeSpan ImproverTotalTimeLimit => TimeSpan.FromSeconds(ImproverTotalTimeoutSeconds);

    public override void Validate()
    {
        base.Validate();
        Within("metaUtilityRuns", MetaUtilityRuns, 1, 100);
        Within("modelBudget", ModelBudget, 1, 1000);
        Within("maxResponsesPerCall", MaxResponsesPerCall, 1, 100);
        Within("metaUtilityBudget", MetaUtilityBudget, 1, 1000);
        Within("improverTimeoutSeconds", ImproverTimeoutSeconds, 1, 86_400);
        Within("improverTotalTimeoutSeconds", ImproverTotalTimeoutSeconds, 1, 86_400);
        if (ImproverTotalTimeoutSeconds < ImproverTimeoutSeconds)
            throw new OptionsException("improverTotalTimeoutSeconds", $"must be at least the improver's own limit ({ImproverTimeoutSeconds} s), not {ImproverTotalTimeoutSeconds}");
        try { Prompts.Validate(); }
        catch (ModelConfigurationException e) { throw new OptionsException("prompts", e.Message); }
    }

    /// <summary>Task ids, each known to <paramref name="catalog"/>, or an <see cref="OptionsException"/> naming <paramref name="option"/>.</summary>
    public static IReadOnlyList<DownstreamTask> Resolve(TaskCatalog catalog, string option, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0) throw new OptionsException(option, "needs at least one task id");
        if (ids.Distinct().Count() != ids.Count) throw new OptionsException(option, $"names a task twice: {string.Join(", ", ids)}");
        return ids.Select(id => catalog.TryGet(id, out var task) ? task
            : throw new OptionsException(option, $"has an unknown task '{id}'; known tasks: {string.Join(", ", catalog.Ids)}")).ToList();
    }
}
