using System.Text.Json.Nodes;
using Ouroboros.Runs;

namespace Ouroboros.Sweeps;

/// <summary>
/// A sweep's grid: the configuration a user gave, where some options hold several values, expanded
/// into its points, each an ordinary configuration of one run. Which values are axes:
/// <list type="bullet">
/// <item><c>tasks</c>: each element is one point's task set (a task id, or a list of ids), so
/// <c>--tasks 3sat,maxcut</c> is two points of one task each.</item>
/// <item><c>seeds</c>: a count N (seeds 1..N) or a list of seeds; it sets <c>seed</c>.</item>
/// <item><c>models</c>: a list of models; it sets <c>model</c>.</item>
/// <item>any other option: a list where the option takes one value, or a list of lists where it takes a list.</item>
/// </list>
/// Points are ordered by axis (tasks, then models, then the other axes by name, seeds last) with the
/// first axis slowest, so a point's index depends only on the grid: a resumed sweep finds its points again.
/// </summary>
public static class SweepGrid
{
    /// <summary>The grid's points. <paramref name="defaults"/> is the experiment's default configuration (it says which options take lists).</summary>
    public static IReadOnlyList<SweepPoint> Expand(JsonObject grid, JsonObject defaults)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(defaults);
        var fixedPart = new JsonObject();
        var axes = new List<(string Option, IReadOnlyList<JsonNode?> Values)>();
        foreach (var (name, value) in grid)
        {
            switch (name)
            {
                case "tasks":
                    axes.Add(("tasks", Values(name, value).Select(v => (JsonNode?)(v is JsonArray set ? set.DeepClone() : new JsonArray(v?.DeepClone()))).ToList()));
                    break;
                case "seeds":
                    axes.Add(("seed", Seeds(value)));
                    break;
                case "models":
                    axes.Add(("model", Values(name, value)));
                    break;
                default:
                    bool takesList = defaults[name] is JsonArray;
                    if (value is JsonArray list && (!takesList || (list.Count > 0 && list.All(v => v is JsonArray))))
                        axes.Add((name, Values(name, value)));
                    else fixedPart[name] = value?.DeepClone();
                    break;
            }
        }
        foreach (var (option, _) in axes)
            if (fixedPart.ContainsKey(option)) throw new OptionsException(option, $"is given both as one value and as a sweep axis ({Axis(option)}); give one of them");
        var ordered = axes.OrderBy(a => a.Option switch { "tasks" => 0, "model" => 1, "seed" => 3, _ => 2 }).ThenBy(a => a.Option, StringComparer.Ordinal).ToList();

        var points = new List<SweepPoint>();
        void Walk(int axis, JsonObject config, JsonObject coordinates)
        {
            if (axis == ordered.Count)
            {
                points.Add(new SweepPoint(points.Count, (JsonObject)coordinates.DeepClone(), (JsonObject)config.DeepClone()));
                return;
            }
            var (option, values) = ordered[axis];
            foreach (var value in values)
            {
                config[option] = value?.DeepClone();
                coordinates[option] = value?.DeepClone();
                Walk(axis + 1, config, coordinates);
            }
            config.Remove(option);
            coordinates.Remove(option);
        }
        Walk(0, (JsonObject)fixedPart.DeepClone(), []);
        return points;
    }

    /// <summary>The most points one sweep may have: a typo such as <c>--seeds 10000</c> should not submit ten thousand jobs.</summary>
    public const int MaxPoints = 10_000;

    private static IReadOnlyList<JsonNode?> Values(string name, JsonNode? value)
    {
        var values = value is JsonArray list ? list.Select(v => v?.DeepClone()).ToList() : [value?.DeepClone()];
        if (values.Count == 0) throw new OptionsException(name, "is an empty list; give at least one value");
        var distinct = values.Select(v => v?.ToJsonString()).Distinct().Count();
        if (distinct != values.Count) throw new OptionsException(name, "lists a value twice; each grid point must be distinct");
        return values;
    }

    /// <summary><c>seeds</c>: N means seeds 1..N (the default seed is 1, so N = 1 is the run <c>ouro stop</c> makes); a list is taken as given.</summary>
    private static IReadOnlyList<JsonNode?> Seeds(JsonNode? value)
    {
        if (value is JsonValue v && v.TryGetValue<long>(out var n))
        {
            if (n is < 1 or > MaxPoints) throw new OptionsException("seeds", $"must be a count between 1 and {MaxPoints}, or a list of seeds, not {n}");
            return Enumerable.Range(1, (int)n).Select(s => (JsonNode?)JsonValue.Create((ulong)s)).ToList();
        }
        if (value is JsonArray list && list.All(s => s is JsonValue sv && sv.TryGetValue<ulong>(out _)))
            return Values("seeds", value);
        throw new OptionsException("seeds", "must be a count N (seeds 1..N) or a list of whole numbers 0 or more");
    }

    private static string Axis(string option) => option switch { "seed" => "seeds", "model" => "models", _ => option };
}

/// <summary>
/// One point of a sweep's grid: its position, its coordinates (the value of each axis there) and its
/// whole configuration (the grid's fixed options plus the coordinates), as one run of the experiment takes it.
/// </summary>
public sealed record SweepPoint(int Index, JsonObject Coordinates, JsonObject Config)
{
    /// <summary>The coordinates as a person reads them: <c>tasks=3sat model=offline seed=2</c>.</summary>
    public string Label => string.Join(" ", Coordinates.Select(c => $"{c.Key}={Show(c.Value)}"));

    private static string Show(JsonNode? value) => value switch
    {
        JsonArray list => string.Join(",", list.Select(Show)),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        null => "null",
        _ => value.ToJsonString(),
    };
}
