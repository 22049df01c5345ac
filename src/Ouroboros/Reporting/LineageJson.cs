using System.Text.Json.Nodes;

namespace Ouroboros.Reporting;

/// <summary>
/// A <see cref="Lineage"/> as one JSON object: what <c>ouro lineage --json</c> prints, <c>ouro export</c>
/// writes as <c>lineage.json</c>, and the report carries as <c>lineage</c>. Hashes are written in full.
/// </summary>
public static class LineageJson
{
    public static JsonObject ToJson(Lineage lineage)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        return new JsonObject
        {
            ["run"] = lineage.RunId,
            ["improvers"] = lineage.Improvers,
            ["solutions"] = lineage.Solutions,
            ["unattributedSolutions"] = lineage.Unattributed,
            ["final"] = lineage.Final,
            ["best"] = Solution(lineage.Best),
            ["tree"] = new JsonArray(lineage.Roots.Select(n => (JsonNode?)Node(n)).ToArray()),
        };
    }

    private static JsonObject Node(LineageNode n) => new()
    {
        ["improver"] = n.Hash,
        ["role"] = n.Role,
        ["iterations"] = new JsonArray(n.Iterations.Select(i =>
        {
            var o = new JsonObject { ["t"] = i.T };
            ReportJson.PutMean(o, "val", i.Val);
            ReportJson.PutMean(o, "test", i.Test);
            o["adopted"] = i.Adopted;
            o["reason"] = i.Reason;
            return (JsonNode?)o;
        }).ToArray()),
        ["solutions"] = n.Solutions,
        ["bestSolution"] = Solution(n.BestSolution),
        ["children"] = new JsonArray(n.Children.Select(c => (JsonNode?)Node(c)).ToArray()),
    };

    private static JsonObject? Solution(ScoredSolution? s) => s is null ? null : new JsonObject
    {
        ["solution"] = s.Hash, ["improver"] = s.Improver, ["val"] = Math.Round(s.Val, 6), ["test"] = s.Test is { } t ? Math.Round(t, 6) : null,
    };
}
