using Ouroboros.Stop;
using System.Reflection;
using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Safety;
using Ouroboros.Statistics;
using Ouroboros.Store;

namespace Ouroboros.Reporting;

/// <summary>
/// Reads one run back from the store into a <see cref="RunReport"/>: the iterations table, the
/// baseline and adoption test from the loop's result, the transfer results, the experiment's own section, the safety
/// events and the ledger. Reading only: building a report never writes to the store.
/// </summary>
public static class RunReportBuilder
{
    /// <summary>The report of run <paramref name="runId"/>, or null when the store has no such run.</summary>
    public static RunReport? Build(IRunStore store, string runId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var records = store.Journal;
        var run = records.GetRun(runId);
        if (run is null) return null;
        var result = run.Result;
        var rows = new IterationTable(store).Iterations(runId);
        var iterations = rows.Select(i => new IterationReport(
            i.T, i.ImproverHash, Summarise(i.ValRuns, i.Val), Summarise(i.TestRuns, i.Test), i.Adopted, i.Reason)).ToList();

        var baseline = result?["baseline"] is JsonObject b ? Baseline(b) : null;

        var transfers = new List<TransferReport>();
        if (run.Kind == "transfer" && result is not null) transfers.Add(Transfer(run.Id, result));
        // A STOP run's own transfer table, on the meta-test tasks it named.
        if (run.Kind == "stop" && result?["transfer"] is JsonObject own) transfers.Add(Transfer(run.Id, own));
        // A STOP run's report also shows every transfer of an improver it produced.
        if (run.Kind == "stop" && iterations.Count > 0)
            transfers.AddRange(records.Runs()
                .Where(r => r.Kind == "transfer" && r.Result is not null && ProducedHere(Text(r.Result["improver"]), iterations))
                .OrderBy(r => r.CreatedAt)
                .Select(r => Transfer(r.Id, r.Result!)));

        return new RunReport(run,
            ConfigText.Tasks(run.Config), Text(run.Config["model"]),
            iterations,
            baseline,
            Text(result?["adoptionTest"]),
            transfers,
            Safety(records.Events(runId)),
            ModelUsageQuery.ForRun(store, run))
        {
            Lineage = iterations.Count > 0 ? LineageQuery.ForRun(store, runId) : null,
            Verdict = run.Kind == "stop" ? Verdict(run, rows, baseline, Numbers(result?["baseline"]?["testRuns"])) : null,
            SeedUtilities = run.Kind == "stop" ? SeedUtilityQuery.ForRun(store, run) : [],
            State = RunLease.StateOf(run, store.Leases.Get(runId), DateTimeOffset.UtcNow),
            ExperimentTables = ReportSectionCatalog.For(run.Kind)?.Tables(run, store) ?? [],
            ExperimentJson = ReportSectionCatalog.For(run.Kind)?.Json(run, store),
        };
    }

    /// <summary>The final improver (the last adopted iteration, else the seed improver) against the baseline's runs, on test.</summary>
    private static Verdict Verdict(RunRow run, IReadOnlyList<IterationRow> rows, BaselineReport? baseline, IReadOnlyList<double> baselineTest)
    {
        var final = rows.LastOrDefault(i => i.Adopted) ?? rows.FirstOrDefault(i => i.T == 0);
        if (final is null) return Reporting.Verdict.None("the run has no iterations");
        if (baseline is null)
            return Reporting.Verdict.None(run.Status == RunStates.Running
                ? "the run is still open and has no baseline yet"
                : $"the run ended {run.Status} before its baseline");
        return Reporting.Verdict.Of(final.T, final.TestRuns, baselineTest, baseline.Best);
    }

    /// <summary>
    /// Mean and interval of the per-run utilities. With none recorded, the stored mean is kept and
    /// marked n = 0 with no interval, rather than inventing a spread.
    /// </summary>
    internal static MeanInterval Summarise(IReadOnlyList<double> runs, double recordedMean) =>
        runs.Count > 0 ? MeanInterval.Of(runs, MeanInterval.Unit) : new MeanInterval(recordedMean, 0, null, null);

    private static MeanInterval? Summarise(JsonNode? runs, JsonNode? recordedMean)
    {
        var values = Numbers(runs);
        if (values.Count > 0) return MeanInterval.Of(values, MeanInterval.Unit);
        return recordedMean is JsonValue v && v.TryGetValue<double>(out var mean) ? new MeanInterval(mean, 0, null, null) : null;
    }

    private static BaselineReport Baseline(JsonObject b)
    {
        var val = Summarise(b["valRuns"], b["val"]);
        return new BaselineReport(Text(b["method"]) ?? "best-of-N seed improver",
            (int)(NumberOrNull(b["runs"]) ?? val?.N ?? 0), (long?)NumberOrNull(b["completions"]), (long?)NumberOrNull(b["utilityCalls"]),
            val, Summarise(b["testRuns"], b["test"]))
        {
            Best = b["valRuns"] is JsonArray && NumberOrNull(b["val"]) is { } bestVal && NumberOrNull(b["test"]) is { } bestTest ? (bestVal, bestTest) : null,
        };
    }

    private static TransferReport Transfer(string runId, JsonObject result)
    {
        var rows = new List<TransferRow>();
        foreach (var node in result["rows"] as JsonArray ?? [])
        {
            if (node is not JsonObject row) continue;
            var us = row["us"] as JsonObject;
            var seed = row["seed"] as JsonObject;
            var improved = row["improved"] as JsonObject;
            rows.Add(new TransferRow(Text(row["task"]) ?? "?",
                NumberOrNull(us?["val"]), NumberOrNull(us?["test"]),
                Summarise(seed?["valRuns"], seed?["val"]), Summarise(seed?["testRuns"], seed?["test"]),
                Summarise(improved?["valRuns"], improved?["val"]), Summarise(improved?["testRuns"], improved?["test"])));
        }
        return new TransferReport(runId, Text(result["improver"]) ?? "?", rows);
    }

    /// <summary>Every known kind, zeros included (a reader should see "0 unsandboxed requests"), then any other kind the store holds.</summary>
    private static IReadOnlyList<SafetyCount> Safety(IReadOnlyList<SafetyEvent> events)
    {
        var byKind = events.GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => new SafetyCount(g.Key, g.Count(), g.Select(e => e.ProgramHash).Distinct().Count()));
        var known = KnownKinds.Select(k => byKind.GetValueOrDefault(k) ?? new SafetyCount(k, 0, 0));
        return known.Concat(byKind.Values.Where(c => !KnownKinds.Contains(c.Kind)).OrderBy(c => c.Kind)).ToList();
    }

    /// <summary>The kinds declared on <see cref="SafetyEventKinds"/>, in declaration order, so a new kind is reported without touching this file.</summary>
    public static readonly IReadOnlyList<string> KnownKinds = typeof(SafetyEventKinds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!).ToList();

    private static bool ProducedHere(string? improver, IReadOnlyList<IterationReport> iterations) =>
        // t = 0 is the seed improver, which every STOP run shares; only candidates this run produced count.
        !string.IsNullOrEmpty(improver) && iterations.Any(i => i.T > 0 && i.ImproverHash.StartsWith(improver, StringComparison.OrdinalIgnoreCase));

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static double? NumberOrNull(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    private static double Number(JsonNode? node) => NumberOrNull(node) ?? 0;

    private static List<double> Numbers(JsonNode? node) =>
        node is JsonArray a ? a.Select(NumberOrNull).Where(d => d is not null).Select(d => d!.Value).ToList() : [];
}
