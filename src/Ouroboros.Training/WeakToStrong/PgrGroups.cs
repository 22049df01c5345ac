namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// One line of the PGR table: a setting, view, method and epoch count, a (supervisor, student) size
/// pair (<see cref="StudentSize"/> 0: all pairs together) and a route (<c>direct</c> from the weak
/// supervisor, or <c>chain</c> through the intermediate sizes), with its PGR summary over seeds (and pairs).
/// </summary>
public sealed record PgrGroup(string Setting, string View, string Method, int Epochs, string Route, int WeakSize, int StudentSize, PgrSummary Pgr);

/// <summary>Turns stored model rows into PGR groups: per seed, a pair's student against that seed's weak supervisor and ceiling.</summary>
public static class PgrGroups
{
    public const string Direct = "direct";

    public static IReadOnlyList<PgrGroup> From(IReadOnlyList<W2sRow> rows)
    {
        var weak = rows.Where(r => r.Role == W2sRow.Weak).ToDictionary(r => (r.Setting, r.View, r.Seed), r => r.TestAccuracy);
        var ceilings = rows.Where(r => r.Role == W2sRow.Ceiling).ToDictionary(r => (r.Setting, r.View, r.Seed, r.Size), r => r.TestAccuracy);
        var groups = new List<PgrGroup>();
        var trained = rows.Where(r => r.Role is W2sRow.Student or W2sRow.Chain
            && weak.ContainsKey((r.Setting, r.View, r.Seed)) && ceilings.ContainsKey((r.Setting, r.View, r.Seed, r.Size))).ToList();
        var weakSize = rows.Where(r => r.Role == W2sRow.Weak).Select(r => r.Size).DefaultIfEmpty(0).Min();
        (double, double, double) Triple(W2sRow r) => (weak[(r.Setting, r.View, r.Seed)], r.TestAccuracy, ceilings[(r.Setting, r.View, r.Seed, r.Size)]);
        foreach (var g in trained.GroupBy(r => (r.Setting, r.View, r.Method, r.Epochs, Route: r.Role == W2sRow.Student ? Direct : W2sRow.Chain))
                     .OrderBy(g => g.Key.Setting).ThenBy(g => ViewOrder(g.Key.View)).ThenBy(g => MethodOrder(g.Key.Method)).ThenBy(g => g.Key.Epochs).ThenBy(g => g.Key.Route == Direct ? 0 : 1))
        {
            foreach (var pair in g.GroupBy(r => r.Size).OrderBy(p => p.Key))
                groups.Add(new PgrGroup(g.Key.Setting, g.Key.View, g.Key.Method, g.Key.Epochs, g.Key.Route, weakSize, pair.Key, Pgr.Summarise(pair.Select(Triple))));
            if (g.Select(r => r.Size).Distinct().Count() > 1)
                groups.Add(new PgrGroup(g.Key.Setting, g.Key.View, g.Key.Method, g.Key.Epochs, g.Key.Route, weakSize, 0, Pgr.Summarise(g.Select(Triple))));
        }
        return groups;
    }

    public static int ViewOrder(string view) => LatentViews.All.IndexOf(view) is var i && i >= 0 ? i : int.MaxValue;

    public static int MethodOrder(string method) => TransferMethod.Names.IndexOf(method) is var i && i >= 0 ? i : int.MaxValue;

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
