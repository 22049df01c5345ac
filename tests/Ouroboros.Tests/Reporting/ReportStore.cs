using Ouroboros.Stop;
using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Store;

namespace Ouroboros.Tests.Reporting;

/// <summary>
/// Fills a store, through <see cref="RunRecords"/> and <see cref="ModelCallLog"/> as the STOP loop
/// would, with one run of each kind whose numbers the tests work out by hand.
/// </summary>
internal static class ReportStore
{
    public const string Stop = "stop-20261121-a1", Transfer = "transfer-20261121-b2", Audit = "audit-20261121-c3";
    public static readonly string Seed = new('a', 64), Improved = new('b', 64), Rejected = new('c', 64), Proposal = new('e', 64);

    /// <summary>Solutions of the STOP run: two share the prefix "dd", two share a validation utility (the first evaluated is best).</summary>
    public static readonly string SeedSolution = new('0', 64), BySeed = "dd1" + new string('1', 61), BestByVal = "dd2" + new string('2', 61),
        TiedLater = new('3', 64), ByRejected = new('4', 64), NeverEvaluated = new('5', 64);

    /// <summary>u(s) of the STOP run's task, lpn: its seed solution's utility on each split.</summary>
    public const double UsVal = 0.45, UsTest = 0.42;

    /// <summary>What the store holds as each program's source.</summary>
    public static string Source(string hash) => $"// program {hash[..12]}\npublic static class P {{ }}\n";

    public static RunStore Filled()
    {
        var store = RunStore.InMemory();
        Fill(store);
        return store;
    }

    public static void Fill(RunStore store)
    {
        var records = store;
        var ledger = new ModelCallLog(store, Stop);
        // Another run's call, and one this run answered from its recording: neither counts towards its usage.
        new ModelCallLog(store, "another-run").Add(new ModelCallRecord(DateTimeOffset.UtcNow, "offline", "h0", 6, 0, "older", 1000, 1000, 1, 1.0, "ok", null));
        ledger.Add(new ModelCallRecord(DateTimeOffset.UtcNow, "offline", "h0", 6, 0, Seed, 1000, 1000, 1, 1.0, "replayed", null));

        records.Journal.CreateRun(Stop, "stop", new JsonObject { ["task"] = "lpn", ["model"] = "offline-mutation", ["iterations"] = 2, ["seed"] = 7 });
        // Programs as the loop stores them: each with the improver that produced it.
        foreach (var (hash, kind, parent) in new[]
        {
            (Seed, "improver", (string?)null), (SeedSolution, "solution", null), (BySeed, "solution", Seed), (Proposal, "improver", Seed),
            (Improved, "improver", Seed), (BestByVal, "solution", Improved), (TiedLater, "solution", Improved),
            (Rejected, "improver", Improved), (ByRejected, "solution", Rejected), (NeverEvaluated, "solution", Rejected),
        })
            records.Programs.PutProgram(hash, kind, Source(hash), parent, Stop);
        foreach (var (hash, val, test) in new[] { (SeedSolution, 0.4, 0.4), (BySeed, 0.5, 0.5), (BestByVal, 0.7, 0.65), (TiedLater, 0.7, 0.9), (ByRejected, 0.6, (double?)null) })
        {
            records.Evaluations.PutEvaluation(new EvaluationRow(Stop, hash, "lpn", "val", "1+10", val, [], [], 1));
            if (test is { } t) records.Evaluations.PutEvaluation(new EvaluationRow(Stop, hash, "lpn", "test", "101+10", t, [], [], 1));
        }
        // u(s): the lpn seed solution's own evaluations, on each split's instances, as the loop stores them.
        var lpn = Ouroboros.Tasks.TaskCatalog.BuiltIn().Single(t => t.Id == "lpn");
        foreach (var (split, us) in new[] { (lpn.Utility.Validation, UsVal), (lpn.Utility.Test, UsTest) })
            records.Evaluations.PutEvaluation(new EvaluationRow(Stop, Ouroboros.Compilation.ProgramHash.Of(lpn.SeedSolution), "lpn", split.Name,
                $"{split.FirstSeed}+{split.Count}", us, [], [], 1));
        new IterationTable(records).PutIteration(new IterationRow(Stop, 0, Seed, 0.5, 0.5, [0.5, 0.52, 0.48, 0.5, 0.5], [0.55, 0.45, 0.5, 0.5, 0.5], true, "seed improver"));
        new IterationTable(records).PutIteration(new IterationRow(Stop, 1, Improved, 0.6, 0.6, [0.6, 0.62, 0.58, 0.6, 0.6], [0.58, 0.6, 0.62, 0.6, 0.6], true, "val 0.600 beats 0.500"));
        new IterationTable(records).PutIteration(new IterationRow(Stop, 2, Rejected, 0.55, 0.7, [0.55, 0.6, 0.5, 0.55, 0.55], [0.7], false, "val 0.550 does not beat 0.600 | kept t=1"));
        records.Journal.AddEvents(Stop, [
            new SafetyEvent(SafetyEventKinds.Timeout, "p1", "instance 3"), new SafetyEvent(SafetyEventKinds.Timeout, "p1", "instance 9"),
            new SafetyEvent(SafetyEventKinds.PolicyViolation, "p1", "System.IO"), new SafetyEvent(SafetyEventKinds.PolicyViolation, "p2", "System.IO"),
            new SafetyEvent(SafetyEventKinds.PolicyViolation, "p3", "Process"), new SafetyEvent("novel_kind", "p9", "a kind added later"),
        ]);
        ledger.Add(new ModelCallRecord(DateTimeOffset.UtcNow, "offline", "h1", 6, 0, Seed, 100, 600, 5, 0.01, "ok", null));
        ledger.Add(new ModelCallRecord(DateTimeOffset.UtcNow, "offline", "h2", 6, 0, Seed, 100, 600, 5, 0.01, "ok", null));
        ledger.Add(new ModelCallRecord(DateTimeOffset.UtcNow, "offline", "h3", 2, 1, Improved, 10, 20, 5, null, "ok", null));
        records.Journal.FinishRun(Stop, new JsonObject
        {
            ["baseline"] = new JsonObject
            {
                ["method"] = "best-of-N seed improver", ["runs"] = 5, ["completions"] = 120, ["utilityCalls"] = 125, ["val"] = 0.53, ["test"] = 0.52,
                ["valRuns"] = new JsonArray(0.5, 0.55, 0.53, 0.54, 0.53), ["testRuns"] = new JsonArray(0.52, 0.52, 0.52, 0.52, 0.52),
            },
            // What the loop alone spent, and the whole run: the baseline is the difference.
            ["loop"] = new JsonObject { ["calls"] = 2, ["completions"] = 10, ["criticalPath"] = 3 },
            ["modelUsage"] = new JsonObject { ["calls"] = 3, ["completions"] = 14, ["criticalPath"] = 4 },
            ["adoptionTest"] = "adopt when the candidate's mean validation meta-utility exceeds the current improver's on the same seeds",
        });

        records.Journal.CreateRun(Transfer, "transfer", new JsonObject { ["improver"] = Improved, ["tasks"] = "3sat,maxcut", ["model"] = "offline-mutation" });
        records.Journal.FinishRun(Transfer, new JsonObject
        {
            ["improver"] = Improved,
            ["rows"] = new JsonArray(
                new JsonObject
                {
                    ["task"] = "3sat", ["us"] = new JsonObject { ["val"] = 0.0, ["test"] = 0.0 },
                    ["seed"] = new JsonObject { ["valRuns"] = new JsonArray(0.2, 0.22, 0.2, 0.18, 0.2), ["testRuns"] = new JsonArray(0.21, 0.2, 0.22, 0.2, 0.22) },
                    ["improved"] = new JsonObject { ["valRuns"] = new JsonArray(0.7, 0.8, 0.75, 0.75, 0.75), ["testRuns"] = new JsonArray(0.75, 0.75, 0.75, 0.75, 0.76) },
                },
                new JsonObject
                {
                    ["task"] = "maxcut", ["us"] = new JsonObject { ["val"] = 0.0, ["test"] = 0.0 },
                    ["seed"] = new JsonObject { ["valRuns"] = new JsonArray(0.58), ["testRuns"] = new JsonArray(0.587) },
                    ["improved"] = new JsonObject { ["valRuns"] = new JsonArray(0.74), ["testRuns"] = new JsonArray(0.742) },
                }),
        });

        records.Journal.CreateRun(Audit, "audit", new JsonObject { ["samples"] = 10000, ["warning"] = false, ["model"] = "offline-mutation" });
        records.Journal.FinishRun(Audit, new JsonObject
        {
            ["samples"] = 10000, ["warning"] = false,
            ["rows"] = new JsonArray(
                new JsonObject { ["behaviour"] = "sets useSandbox to false", ["count"] = 42 },
                new JsonObject { ["behaviour"] = "exceeds or replaces its budget", ["count"] = 0 }),
        });
    }
}
