using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Store;
using static Ouroboros.Runs.ReportFormat;

namespace Ouroboros.Improve;

/// <summary>An improve run's part of its report: before → after, u(s) and u(I(u, s)) on both splits, and how the improver run ended.</summary>
public sealed class ImproveReportSection : IReportSection
{
    public string Kind => ImproveOptions.KindName;

    public IReadOnlyList<ReportTable> Tables(RunRow run, IRunStore store) => run.Result is { } improved && improved["before"] is not null
        ?
        [
            new ReportTable("Before → after",
                $"One improver run on the task's seed solution: u(s) before, u(I(u, s)) after (the improver run ended {improved["status"]}, " +
                $"{improved["utilityCalls"]} utility calls). Utility is the mean score over the split's instances.",
                ["", "val", "test"],
                [["u(s): the seed solution", Number((double?)improved["before"]?["val"]), Number((double?)improved["before"]?["test"])],
                 ["u(I(u, s)): the improved solution", Number((double?)improved["after"]?["val"]), Number((double?)improved["after"]?["test"])]]),
        ]
        : [];

    public JsonNode? Json(RunRow run, IRunStore store)
    {
        if (run.Result is not { } result || result["before"] is null) return null;
        var o = (JsonObject)result.DeepClone();
        o.Remove("modelUsage"); // reported once, under the report's own modelUsage
        return o;
    }
}
