using System.Text.Json.Nodes;
using Ouroboros.Store;

namespace Ouroboros.Tests.Store;

/// <summary><see cref="IEvaluationStore.EvaluationsOf"/>: a run's evaluations in the order stored, with their instances, and only one program's when asked.</summary>
public sealed class EvaluationsOfTests
{
    private static EvaluationRow Row(string run, string program, string split, double utility) =>
        new(run, program, "3sat", split, "1+2", utility,
            new JsonArray(new JsonObject { ["seed"] = 1, ["score"] = utility, ["status"] = "ok", ["ms"] = 1.5 }), new JsonObject { ["ok"] = 1 }, 1.5);

    [Fact]
    public void A_run_s_evaluations_come_back_in_order_and_filter_by_program()
    {
        using var store = RunStore.Open(":memory:");
        foreach (var id in new[] { "a", "b" }) store.Journal.CreateRun(id, "stop", new JsonObject());
        store.Evaluations.PutEvaluation(Row("a", "p1", "val", 0.1));
        store.Evaluations.PutEvaluation(Row("b", "p1", "val", 0.9));
        store.Evaluations.PutEvaluation(Row("a", "p2", "val", 0.2));
        store.Evaluations.PutEvaluation(Row("a", "p1", "test", 0.3));

        var all = store.Evaluations.EvaluationsOf("a");
        Assert.Equal([0.1, 0.2, 0.3], all.Select(e => e.Utility));
        Assert.Equal(0.2, (double)all[1].Instances[0]!["score"]!);
        Assert.Equal(["val", "test"], store.Evaluations.EvaluationsOf("a", "p1").Select(e => e.Split));
        Assert.Empty(store.Evaluations.EvaluationsOf("nobody"));
    }
}
