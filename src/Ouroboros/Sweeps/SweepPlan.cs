using System.Globalization;
using System.Text.Json.Nodes;

namespace Ouroboros.Sweeps;

/// <summary>
/// A sweep as it is stored: a journal run of kind <c>sweep</c> whose configuration holds the grid as
/// given, how its points are executed, and every point with its run id and whole configuration. Each
/// point is an ordinary run of the experiment, its id derived from the sweep's id and the point's
/// index (<see cref="PointRunId"/>), so a resume, a SLURM array element or a requeued job finds it
/// without asking anyone. No table of its own: what was submitted when is kept as the sweep run's steps.
/// </summary>
public sealed record SweepPlan(string SweepId, string Experiment, JsonObject Grid, SweepExecution Execution, IReadOnlyList<PlannedPoint> Points)
{
    public const string Kind = "sweep";

    /// <summary>The run id of point <paramref name="index"/> of sweep <paramref name="sweepId"/>.</summary>
    public static string PointRunId(string sweepId, int index) => $"{sweepId}-p{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A new sweep's plan over <paramref name="points"/>.</summary>
    public static SweepPlan Of(string sweepId, string experiment, JsonObject grid, SweepExecution execution, IReadOnlyList<SweepPoint> points) =>
        new(sweepId, experiment, grid, execution, points.Select(p => new PlannedPoint(p.Index, PointRunId(sweepId, p.Index), p.Coordinates, p.Config)).ToList());

    /// <summary>The sweep run's stored configuration. <c>tasks</c> and <c>model</c> are there too, so run listings show what the sweep covers.</summary>
    public JsonObject ToConfig() => new()
    {
        ["experiment"] = Experiment,
        ["tasks"] = new JsonArray(Points.SelectMany(p => p.Config["tasks"] as JsonArray ?? []).Select(t => t?.ToString()).Distinct().Select(t => (JsonNode?)t).ToArray()),
        ["model"] = string.Join(",", Points.Select(p => p.Config["model"]?.ToString() ?? "(default)").Distinct()),
        ["grid"] = Grid.DeepClone(),
        ["execution"] = Execution.ToJson(),
        ["points"] = new JsonArray(Points.Select(p => (JsonNode?)new JsonObject
        {
            ["index"] = p.Index, ["runId"] = p.RunId, ["coordinates"] = p.Coordinates.DeepClone(), ["config"] = p.Config.DeepClone(),
        }).ToArray()),
    };

    /// <summary>The plan a sweep run stored; <see cref="InvalidDataException"/> when the run is no sweep or its configuration is damaged.</summary>
    public static SweepPlan FromConfig(string sweepId, JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            var points = ((JsonArray)config["points"]!).Select(n => n!.AsObject()).Select(p => new PlannedPoint(
                (int)p["index"]!, (string)p["runId"]!, p["coordinates"]!.AsObject(), p["config"]!.AsObject())).ToList();
            return new(sweepId, (string)config["experiment"]!, config["grid"]!.AsObject(), SweepExecution.FromJson(config["execution"]!.AsObject()), points);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidCastException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"sweep {sweepId}: its stored plan is damaged ({e.Message})");
        }
    }
}

/// <summary>One point of a stored sweep: its index, the id of its run, its coordinates on the grid and its run's whole configuration.</summary>
public sealed record PlannedPoint(int Index, string RunId, JsonObject Coordinates, JsonObject Config)
{
    public string Label => new SweepPoint(Index, Coordinates, Config).Label;
}

/// <summary>
/// How a sweep's points run: <c>local</c> (at most <see cref="Parallel"/> points at once on this
/// machine) or <c>slurm</c> (one job array; the SLURM resources each element asks for).
/// </summary>
public sealed record SweepExecution(string Executor, int Parallel, SlurmResources Slurm)
{
    public const string Local = "local", SlurmExecutor = "slurm";

    public JsonObject ToJson() => new()
    {
        ["executor"] = Executor, ["parallel"] = Parallel,
        ["slurm"] = new JsonObject
        {
            ["partition"] = Slurm.Partition, ["time"] = Slurm.Time, ["cpusPerTask"] = Slurm.CpusPerTask, ["mem"] = Slurm.Mem,
            ["signalSeconds"] = Slurm.SignalSeconds, ["logDir"] = Slurm.LogDir,
        },
    };

    public static SweepExecution FromJson(JsonObject o)
    {
        var s = o["slurm"]!.AsObject();
        return new((string)o["executor"]!, (int)o["parallel"]!, new SlurmResources(
            (string?)s["partition"], (string?)s["time"], (int?)s["cpusPerTask"], (string?)s["mem"], (int)s["signalSeconds"]!, (string?)s["logDir"]));
    }
}

/// <summary>
/// What each element of a sweep's SLURM job array asks for: partition, time limit, CPUs and memory
/// (SLURM's defaults where null), how long before its time limit SLURM sends SIGTERM (so the point
/// is marked interrupted and resumable before the kill), and where job scripts and job output go.
/// </summary>
public sealed record SlurmResources(string? Partition, string? Time, int? CpusPerTask, string? Mem, int SignalSeconds, string? LogDir)
{
    public static SlurmResources Default { get; } = new(null, null, null, null, 60, null);
}
