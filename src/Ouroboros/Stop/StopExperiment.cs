using System.Text.Json.Nodes;

namespace Ouroboros.Stop;

/// <summary>A whole STOP run: the self-improvement loop, then the best-of-N baseline at the budget the loop spent.</summary>
public static class StopExperiment
{
    public static async Task<JsonObject> RunAsync(StopRun run, CancellationToken cancellationToken)
    {
        var iterations = await new SelfImprovementLoop(run).RunAsync(cancellationToken);
        var baseline = await new BestOfNBaseline(run).RunAsync(run.Progress.ModelCompletions, cancellationToken);
        return new JsonObject
        {
            ["finalImprover"] = SelfImprovementLoop.FinalImproverHash(iterations),
            ["baseline"] = baseline,
            ["adoptionTest"] = AdoptionTest.Statement,
        };
    }
}
