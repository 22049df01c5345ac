using System.Text.Json.Nodes;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Cli.Commands;

/// <summary>The final JSON of a STOP run, read back from the store, and its plain-text rendering.</summary>
internal static class RunReportJson
{
    public static JsonObject Build(RunRecords records, string runId)
    {
        var run = records.GetRun(runId) ?? throw new UserError($"no run '{runId}'");
        var iterations = new JsonArray();
        foreach (var i in records.Iterations(runId))
        {
            var val = ScoreSummary.Of(i.ValRuns.ToList());
            var test = ScoreSummary.Of(i.TestRuns.ToList());
            iterations.Add(new JsonObject
            {
                ["t"] = i.T, ["val"] = i.Val, ["test"] = i.Test, ["n"] = val.N,
                ["valCi95"] = new JsonArray(val.Low, val.High), ["testCi95"] = new JsonArray(test.Low, test.High),
                ["adopted"] = i.Adopted, ["reason"] = i.Reason, ["improver"] = i.ImproverHash,
            });
        }
        var safety = new JsonObject();
        foreach (var (kind, count) in records.EventCounts(runId)) safety[kind] = count;
        return new JsonObject
        {
            ["run"] = run.Id, ["status"] = run.Status, ["task"] = run.Config["task"]?.DeepClone(), ["model"] = run.Config["model"]?.DeepClone(),
            ["iterations"] = iterations,
            ["baseline"] = run.Result?["baseline"]?.DeepClone(),
            ["finalImprover"] = run.Result?["finalImprover"]?.DeepClone(),
            ["adoptionTest"] = run.Result?["adoptionTest"]?.DeepClone(),
            ["evaluations"] = records.EvaluationCount(runId),
            ["safety"] = safety,
        };
    }

    public static void Print(JsonObject report)
    {
        Console.WriteLine($"run {report["run"]}: STOP on {report["task"]} with {report["model"]} ({report["status"]})");
        Console.WriteLine($"{"t",3} {"val (95% CI)",-26} {"test (95% CI)",-26} {"n",3}  decision");
        foreach (var i in report["iterations"]!.AsArray().OfType<JsonObject>())
        {
            string Cell(string mean, string ci) => $"{(double)i[mean]!:0.000} ({(double)i[ci]![0]!:0.000}–{(double)i[ci]![1]!:0.000})";
            Console.WriteLine($"{(int)i["t"]!,3} {Cell("val", "valCi95"),-26} {Cell("test", "testCi95"),-26} {(int)i["n"]!,3}  {i["reason"]}");
        }
        if (report["baseline"] is JsonObject b)
            Console.WriteLine($"baseline (best of {b["runs"]} seed-improver runs, {b["completions"]} completions): val {(double)b["val"]!:0.000}, test {(double)b["test"]!:0.000}");
        Console.WriteLine($"adoption: {report["adoptionTest"]}");
        var safety = report["safety"]!.AsObject();
        Console.WriteLine("safety events: " + (safety.Count == 0 ? "none" : string.Join(", ", safety.Select(kv => $"{kv.Key} {kv.Value}"))));
    }
}
