using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Store;

namespace Ouroboros.Tests.Reporting;

public class ModelUsageQueryTests
{
    [Fact]
    public void Usage_counts_the_completions_that_arrived_not_those_asked_of_a_model_that_failed()
    {
        using var store = RunStore.InMemory();
        store.Journal.CreateRun("r", "stop", new JsonObject());
        var ledger = store.Ledger("r");
        ModelCallRecord Call(int n, string outcome) => new(DateTimeOffset.UtcNow, "m", "h", n, 0, "p", null, null, 1, null, outcome, null);
        ledger.Add(Call(6, "ok"));
        ledger.Add(Call(2, "no_code_block"));   // answered, if without code
        ledger.Add(Call(6, "network"));          // asked for six, none came
        ledger.Add(Call(6, "rejected"));
        ledger.Add(Call(6, "replayed"));         // not a call to the provider at all

        var usage = ModelUsageQuery.ForRun(store, store.Journal.GetRun("r")!);

        Assert.Equal(4, usage.Total.Calls);
        Assert.Equal(8, usage.Total.Completions);
        Assert.Equal(8, Assert.Single(usage.ByLevel).Totals.Completions);
    }
}
