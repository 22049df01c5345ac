using System.Text.Json.Nodes;
using Ouroboros.Tasks;

namespace Ouroboros.Stop;

/// <summary>
/// The baseline every report carries: the seed improver run again and again on the task's seed
/// solution until it has spent the model completions the self-improvement run spent, keeping the
/// best solution by validation utility (best-of-N). It answers whether self-improvement beat simply
/// spending the budget.
/// </summary>
public sealed class BestOfNBaseline(StopRun run)
{
    public async Task<JsonObject> RunAsync(long completionsToSpend, CancellationToken cancellationToken)
    {
        var perRun = run.Options.MaxResponsesPerCall;
        var runs = (int)Math.Max(1, Math.Ceiling(completionsToSpend / (double)perRun));
        var runner = new ImproverRunner(run);
        var baseline = await run.SeedValidationAsync(cancellationToken);
        run.Remember(run.Task.SeedSolution, "solution", null);
        // Its solutions' parent is the seed improver that produced them (see MetaUtility).
        var seedImprover = run.Remember(Improvers.Seed, "improver", null);
        var valRuns = new List<double>();
        var testRuns = new List<double>();
        long utilityCalls = 0;
        (double Val, double Test, string? Solution) best = (double.NegativeInfinity, 0, null);
        for (int i = 0; i < runs; i++)
        {
            run.Progress.SetPhase($"baseline: seed improver run {i + 1} of {runs}");
            var utility = new UtilityCapability(run.Task, run.Sandbox, baseline: baseline);
            var result = await runner.RunAsync(Improvers.Seed, run.Task.SeedSolution, utility, cancellationToken);
            run.Record(utility.Events);
            utilityCalls += utility.Uses;
            double val = 0, test = 0;
            if (result.Improved is { } solution)
            {
                val = (await run.EvaluateAsync(solution, Split.ValidationName, seedImprover, cancellationToken)).Utility;
                test = (await run.EvaluateAsync(solution, Split.TestName, seedImprover, cancellationToken)).Utility;
                if (val > best.Val) best = (val, test, solution);
            }
            valRuns.Add(val);
            testRuns.Add(test);
        }
        return new JsonObject
        {
            ["method"] = "best-of-N, best solution by validation utility",
            ["runs"] = runs,
            ["completions"] = runs * perRun,
            ["utilityCalls"] = utilityCalls,
            ["val"] = double.IsNegativeInfinity(best.Val) ? 0 : best.Val,
            ["test"] = best.Test,
            ["valRuns"] = new JsonArray(valRuns.Select(v => (JsonNode?)v).ToArray()),
            ["testRuns"] = new JsonArray(testRuns.Select(v => (JsonNode?)v).ToArray()),
        };
    }
}
