using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Dashboard.Tests;

/// <summary>
/// Fills a SQLite store through the store interfaces with many finished STOP-shaped runs, each with
/// iterations, improvers and solutions in a lineage, evaluations with per-instance rows, safety events
/// and model calls: the load the dashboard must stay responsive on (docs/dashboard.md, "Response times").
/// </summary>
public static class LargeStore
{
    public static void Fill(string db, int runs, int evaluationsPerRun, int instancesPerEvaluation, int iterations = 10)
    {
        using var store = RunStore.Open(db);
        var random = new Random(12345);
        var table = new IterationTable(store);
        for (int r = 0; r < runs; r++)
        {
            var id = $"stop-bench-{r:D4}";
            store.Journal.CreateRun(id, "stop", new JsonObject { ["kind"] = "stop", ["tasks"] = new JsonArray("3sat"), ["iterations"] = iterations, ["model"] = "offline", ["seed"] = r });
            string Hash(string what, int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{id}/{what}/{i}")));
            var improvers = Enumerable.Range(0, iterations + 1).Select(i => Hash("improver", i)).ToList();
            var current = improvers[0];
            for (int t = 0; t <= iterations; t++)
            {
                store.Programs.PutProgram(improvers[t], "improver", $"// improver {t} of {id}\npublic static class Improver {{ /* {t} */ }}\n", t == 0 ? null : current, id);
                bool adopted = t == 0 || random.NextDouble() < 0.4;
                double val = Math.Round(random.NextDouble(), 3), test = Math.Round(random.NextDouble(), 3);
                table.PutIteration(new IterationRow(id, t, improvers[t], val, test, [val], [test], adopted, adopted ? "adopted" : "kept the current improver"));
                if (adopted) current = improvers[t];
            }
            var solutions = Enumerable.Range(0, 100).Select(i => Hash("solution", i)).ToList();
            for (int i = 0; i < solutions.Count; i++)
                store.Programs.PutProgram(solutions[i], "solution", $"// solution {i}\n", improvers[i % improvers.Count], id);
            for (int e = 0; e < evaluationsPerRun; e++)
            {
                var instances = new JsonArray(Enumerable.Range(0, instancesPerEvaluation).Select(k => (JsonNode?)new JsonObject
                {
                    ["seed"] = 4321 + k, ["score"] = Math.Round(random.NextDouble(), 3), ["status"] = "ok", ["ms"] = Math.Round(random.NextDouble() * 50, 2),
                }).ToArray());
                store.Evaluations.PutEvaluation(new EvaluationRow(id, solutions[e % solutions.Count], "3sat", e % 2 == 0 ? "val" : "test",
                    $"{4321 + e}+{instancesPerEvaluation}", random.NextDouble(), instances, new JsonObject { ["ok"] = instancesPerEvaluation }, 25.0 * instancesPerEvaluation));
            }
            store.Journal.AddEvents(id, Enumerable.Range(0, 20).Select(i => new SafetyEvent(SafetyEventKinds.InvalidOutput, solutions[i], $"event {i}")));
            var ledger = store.Ledger(id);
            for (int c = 0; c < 50; c++)
                ledger.Add(new ModelCallRecord(DateTimeOffset.UtcNow, "offline-mutation", Hash("request", c), 2, 0, improvers[c % improvers.Count],
                    700, 650, random.NextDouble() * 2000, 0, "ok", null));
            store.Journal.FinishRun(id, new JsonObject
            {
                ["baseline"] = new JsonObject { ["method"] = "best-of-N seed improver", ["runs"] = 3, ["val"] = 0.5, ["test"] = 0.5, ["valRuns"] = new JsonArray(0.4, 0.5, 0.6), ["testRuns"] = new JsonArray(0.4, 0.5, 0.6) },
            });
        }
    }
}
