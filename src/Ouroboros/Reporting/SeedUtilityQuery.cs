using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Reporting;

/// <summary>u(s) of one task: its seed solution's utility on each split, as the run measured it; null where it did not.</summary>
public sealed record SeedUtility(string Task, double? Val, double? Test);

/// <summary>
/// Reads u(s), the utility of each of a run's tasks' seed solution, from the run's own evaluations:
/// the program whose hash is the task's seed solution's, on the split's instances. A STOP run scores
/// the seed solution on validation (its jump guard measures from it); a split it never scored is null,
/// not a number from elsewhere. Reads only.
/// </summary>
public static class SeedUtilityQuery
{
    public static IReadOnlyList<SeedUtility> ForRun(IRunStore store, RunRow run)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(run);
        var catalog = Catalog(run.Config);
        var rows = new List<SeedUtility>();
        foreach (var id in TaskIds(run.Config))
        {
            if (!catalog.TryGet(id, out var task)) { rows.Add(new SeedUtility(id, null, null)); continue; }
            var hash = ProgramHash.Of(task.SeedSolution);
            double? On(Split split) => store.Evaluations.FindEvaluation(run.Id, hash, id, split.Name, $"{split.FirstSeed}+{split.Count}")?.Utility;
            rows.Add(new SeedUtility(id, On(task.Utility.Validation), On(task.Utility.Test)));
        }
        return rows;
    }

    /// <summary>The mean of u(s) over the tasks on one split, as û is a mean over them; null unless every task has it.</summary>
    public static double? Mean(IReadOnlyList<SeedUtility> rows, Func<SeedUtility, double?> split) =>
        rows.Count > 0 && rows.All(r => split(r) is not null) ? rows.Average(r => split(r)!.Value) : null;

    private static IEnumerable<string> TaskIds(JsonObject config) => config["tasks"] is JsonArray tasks
        ? tasks.Select(t => t?.ToString()).OfType<string>()
        : config["task"]?.ToString() is { } one ? [one] : [];

    /// <summary>
    /// The built-in tasks, and the run's task folder when it named one; a folder that is gone or no
    /// longer loads leaves its tasks' u(s) unknown rather than failing the report.
    /// </summary>
    private static TaskCatalog Catalog(JsonObject config)
    {
        if (config["tasksDir"]?.ToString() is { Length: > 0 } dir)
        {
            try { return TaskCatalog.Load(dir); }
            catch (Exception e) when (e is TaskDefinitionException or IOException or UnauthorizedAccessException) { }
        }
        return TaskCatalog.Of(TaskCatalog.BuiltIn());
    }
}
