using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Ouroboros.Models;
using Ouroboros.Reporting;
using Ouroboros.Runs;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Sweeps;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro sweep</c>: STOP over a grid — <c>--tasks</c> (one point per task), <c>--seeds N</c> (seeds
/// 1..N) or a list, <c>--models</c>, and every <c>ouro stop</c> option, a list in <c>--config</c> being
/// an axis (<see cref="SweepGrid"/>). Each point is an ordinary STOP run with an id derived from the
/// sweep's; the sweep is a run of kind <c>sweep</c> (<see cref="SweepPlan"/>). <c>--executor local</c>
/// runs <c>--parallel K</c> points at once as child processes and prints the aggregate report;
/// <c>--executor slurm</c> submits one job array and returns. <c>--status ID</c> shows each point,
/// <c>--resume ID</c> runs (or resubmits) every point not finished.
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        // STOP's own --parallel (improver runs side by side inside one run) stays settable in --config.
        var binder = StopCommand.Binder().Without("parallel");
        var seeds = new Option<string?>("--seeds") { Description = "Seeds: a count N (seeds 1..N) or a comma-separated list (3,7,11)" };
        var models = new Option<string?>("--models") { Description = "Models, comma-separated: one axis of the grid" };
        var executor = new Option<string?>("--executor") { Description = "Where points run: local (default; child processes on this machine) or slurm (one sbatch job array)" };
        var parallel = new Option<int?>("--parallel") { Description = "Local executor: most grid points running at once [default: 1]" };
        var partition = new Option<string?>("--partition") { Description = "SLURM partition of the job array [default: the cluster's]" };
        var time = new Option<string?>("--time") { Description = "SLURM time limit of one point, e.g. 02:00:00 [default: the partition's]" };
        var cpus = new Option<int?>("--cpus-per-task") { Description = "SLURM CPUs per point [default: the cluster's]" };
        var mem = new Option<string?>("--mem") { Description = "SLURM memory per point, e.g. 4G [default: the cluster's]" };
        var signal = new Option<int?>("--signal-seconds") { Description = "SLURM: SIGTERM a point this many seconds before its time limit, so it stops resumable [default: 60]" };
        var logDir = new Option<string?>("--log-dir") { Description = "Folder of the job scripts and each point's output [default: sweeps/ID beside a SQLite store, else ./ouro-sweeps/ID]" };
        var status = new Option<string?>("--status") { Description = "Show each point of sweep ID: its state, run id and SLURM job" };
        var resume = new Option<string?>("--resume") { Description = "Run (or resubmit) every point of sweep ID that has not finished; finished work is never repeated" };
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var cmd = new Command("sweep", "Run STOP over a grid of tasks, seeds, models and options, locally or as a SLURM job array; report means over seeds.")
            { seeds, models, executor, parallel, partition, time, cpus, mem, signal, logDir, status, resume, db, json };
        binder.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(db)!;
            if (parse.GetValue(status) is { } shown) return ShowStatus(path, shown, parse.GetValue(json));
            var passed = new HashSet<string>();
            var given = binder.Given(parse, passed);
            var settings = Settings(given, parse.GetValue(executor), parse.GetValue(parallel), new SlurmResources(
                parse.GetValue(partition), parse.GetValue(time), parse.GetValue(cpus), parse.GetValue(mem), parse.GetValue(signal) ?? 0, parse.GetValue(logDir)));
            if (parse.GetValue(resume) is { } resumed)
            {
                if (passed.Count > 0 || parse.GetValue(seeds) is not null || parse.GetValue(models) is not null)
                    throw new UserError($"a resumed sweep keeps its grid and options; drop {string.Join(", ", passed.Select(OptionBinder<StopOptions>.Flag).Concat(parse.GetValue(seeds) is null ? [] : ["--seeds"]).Concat(parse.GetValue(models) is null ? [] : ["--models"]))}, or start a new sweep");
                return await ResumeAsync(path, resumed, settings.Parallel, parse.GetValue(json), ct);
            }
            if (parse.GetValue(seeds) is { } s) given["seeds"] = Seeds(s);
            if (parse.GetValue(models) is { } m) given["models"] = new JsonArray(List(m).Select(x => (JsonNode?)x).ToArray());
            return await StartAsync(path, given, passed, settings, parse.GetValue(json), ct);
        });
        return cmd;
    }

    /// <summary>A new sweep: every point checked, the scheduler found, all before the store is touched; then the sweep run, then its points.</summary>
    private static async Task<int> StartAsync(string path, JsonObject given, HashSet<string> passed, SweepExecution execution, bool json, CancellationToken ct)
    {
        IReadOnlyList<SweepPoint> points;
        try { points = SweepGrid.Expand(given, ConfigJson.Write(new StopOptions())); }
        catch (OptionsException e) { throw new UserError($"{(passed.Contains(e.Option) ? OptionBinder<StopOptions>.Flag(e.Option) : e.Option)} {e.Problem}"); }
        if (points.Count > SweepGrid.MaxPoints) throw new UserError($"the grid has {points.Count} points, more than {SweepGrid.MaxPoints}; sweep fewer values");
        var checkedModels = new HashSet<(string, string?)>();
        points = points.Select(point =>
        {
            var options = OptionBinder<StopOptions>.Validated(point.Config, passed);
            StopCommand.Checked(options);
            if (checkedModels.Add((options.Model, options.ModelKeyEnv))) ModelReachability.Check(ModelSpec.Parse(options.Model), options.ModelKeyEnv);
            // Stored whole, defaults included, as 'ouro stop' stores a run: a later default never changes a point.
            return point with { Config = ConfigJson.Write(options) };
        }).ToList();
        var sbatch = execution.Executor == SweepExecution.SlurmExecutor ? SbatchOrRefuse(path) : null;

        using var store = RunOptions.OpenForWriting(path);
        var sweepId = RunIds.New("sweep");
        var logDir = LogDir(execution, path, sweepId);
        var plan = SweepPlan.Of(sweepId, "stop", given, execution with { Slurm = execution.Slurm with { LogDir = logDir } }, points);
        store.Journal.CreateRun(sweepId, SweepPlan.Kind, plan.ToConfig());
        using var lease = ExperimentRun.Lease(store, sweepId);
        SweepPoints.RecordPoints(store, plan);
        Console.Error.WriteLine($"ouro: sweep {sweepId}: {points.Count} STOP runs ({Describe(points)}), executor {execution.Executor}, store {store.Location}");
        var all = plan.Points.Select(p => p.Index).ToList();
        return sbatch is not null
            ? SlurmSweep.Submit(store, plan, all, sbatch, path, json)
            : await RunLocallyAsync(store, plan, all, execution.Parallel, path, json, ct);
    }

    /// <summary>Runs (locally) or resubmits (SLURM) the points of a stored sweep that have not finished.</summary>
    private static async Task<int> ResumeAsync(string path, string reference, int? parallel, bool json, CancellationToken ct)
    {
        using var store = RunOptions.OpenExisting(path);
        var sweepId = RunReference.Resolve(store, reference, path);
        var plan = Plan(store, sweepId, path);
        var states = SweepPoints.States(store, plan);
        var live = states.Where(s => s.State == RunStates.Running).ToList();
        foreach (var s in live) Console.Error.WriteLine($"ouro: point {s.Point.Index} ({s.Point.Label}) is running in another process; left to it");
        var todo = states.Where(s => s.State is not (RunStates.Finished or RunStates.Running)).Select(s => s.Point.Index).ToList();
        if (todo.Count == 0)
        {
            Console.Error.WriteLine($"ouro: sweep {sweepId}: no point left to run ({states.Count(s => s.Finished)} finished, {live.Count} running elsewhere)");
            if (live.Count == 0) SweepCompletion.CloseIfDone(store, plan);
            return PrintReport(store, sweepId, json);
        }
        var sbatch = plan.Execution.Executor == SweepExecution.SlurmExecutor ? SbatchOrRefuse(path) : null;
        using var lease = ExperimentRun.Lease(store, sweepId);
        store.Journal.SetStatus(sweepId, RunStates.Running);
        Console.Error.WriteLine($"ouro: sweep {sweepId}: resuming {todo.Count} of {states.Count} points ({string.Join(", ", todo)}), executor {plan.Execution.Executor}");
        return sbatch is not null
            ? SlurmSweep.Submit(store, plan, todo, sbatch, path, json)
            : await RunLocallyAsync(store, plan, todo, parallel ?? plan.Execution.Parallel, path, json, ct);
    }

    private static async Task<int> RunLocallyAsync(IRunStore store, SweepPlan plan, IReadOnlyList<int> indices, int parallel, string db, bool json, CancellationToken ct)
    {
        // Marked the moment a stop is asked for, as a run is: the grace period may end this process
        // before its points have wound down.
        using var marking = ct.Register(() =>
        {
            try { store.Journal.SetStatus(plan.SweepId, RunStates.Interrupted); }
            catch (RunStoreException) { /* the sweep then reads as stale, and resumes the same way */ }
        });
        var interrupted = !await LocalSweep.RunAsync(plan, indices, parallel, db, ct);
        if (interrupted || ct.IsCancellationRequested)
        {
            store.Journal.SetStatus(plan.SweepId, RunStates.Interrupted);
            Console.Error.WriteLine($"ouro: sweep {plan.SweepId} interrupted; continue it with: ouro sweep --resume {plan.SweepId} --db {db}");
            return ExitCodes.Interrupted;
        }
        if (!SweepCompletion.CloseIfDone(store, plan)) store.Journal.SetStatus(plan.SweepId, RunStates.Interrupted);
        var exit = PrintReport(store, plan.SweepId, json);
        var unfinished = SweepPoints.States(store, plan).Count(s => !s.Finished);
        if (unfinished == 0) return exit;
        Console.Error.WriteLine($"ouro: sweep {plan.SweepId}: {unfinished} point(s) did not finish (listed above); run them again with: ouro sweep --resume {plan.SweepId} --db {db}");
        return ExitCodes.PointsFailed;
    }

    /// <summary>The aggregate report: tables, or one JSON object as the last line.</summary>
    internal static int PrintReport(IRunStore store, string sweepId, bool json)
    {
        var report = SweepReportBuilder.Build(store, sweepId)!;
        if (json) Console.WriteLine(SweepReportJson.ToJson(report).ToJsonString());
        else SweepTables.Write(report);
        return ExitCodes.Ok;
    }

    private static int ShowStatus(string path, string reference, bool json)
    {
        using var store = StoreAccess.OpenForReading(path);
        var sweepId = RunReference.Resolve(store, reference, path);
        var plan = Plan(store, sweepId, path);
        var states = SweepPoints.States(store, plan);
        if (json) Console.WriteLine(new JsonArray(states.Select(s => (JsonNode?)SweepReportJson.Point(s)).ToArray()).ToJsonString());
        else SweepTables.WriteStatus(sweepId, plan, states);
        return ExitCodes.Ok;
    }

    /// <summary>The stored plan of sweep <paramref name="sweepId"/>; not a sweep, or none, is the user's error.</summary>
    internal static SweepPlan Plan(IRunStore store, string sweepId, string path)
    {
        var run = store.Journal.GetRun(sweepId) ?? throw new UserError($"no sweep '{sweepId}' in {path}; list them with 'ouro runs --kind sweep --db {path}'");
        if (run.Kind != SweepPlan.Kind) throw new UserError($"run {sweepId} is a '{run.Kind}' run, not a sweep; list the sweeps with 'ouro runs --kind sweep --db {path}'");
        try { return SweepPlan.FromConfig(sweepId, run.Config); }
        catch (InvalidDataException e) { throw new UserError(e.Message); }
    }

    /// <summary>
    /// The executor and its settings: the flags, else <c>executor</c> and <c>slurm</c> in the <c>--config</c>
    /// file (taken out of the grid: they say how points run, not what they are), else the defaults.
    /// </summary>
    private static SweepExecution Settings(JsonObject given, string? executorFlag, int? parallelFlag, SlurmResources flags)
    {
        var fromConfig = given["executor"]?.GetValue<string>();
        var slurm = given["slurm"] as JsonObject;
        given.Remove("executor");
        given.Remove("slurm");
        var executor = executorFlag ?? fromConfig ?? SweepExecution.Local;
        if (executor is not (SweepExecution.Local or SweepExecution.SlurmExecutor)) throw new UserError($"--executor '{executor}' is not one of local, slurm");
        var parallel = parallelFlag ?? 1;
        if (parallel is < 1 or > 256) throw new UserError($"--parallel must be between 1 and 256, not {parallel}");
        string? Text(string name) => slurm?[name] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        int? Number(string name) => slurm?[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        var known = new[] { "partition", "time", "cpusPerTask", "mem", "signalSeconds", "logDir" };
        if (slurm?.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            throw new UserError($"--config: slurm.{unknown} is not a SLURM setting; the settings are: {string.Join(", ", known)}");
        var resources = new SlurmResources(flags.Partition ?? Text("partition"), flags.Time ?? Text("time"),
            flags.CpusPerTask ?? Number("cpusPerTask"), flags.Mem ?? Text("mem"),
            flags.SignalSeconds > 0 ? flags.SignalSeconds : Number("signalSeconds") ?? SlurmResources.Default.SignalSeconds,
            flags.LogDir ?? Text("logDir"));
        if (resources.CpusPerTask is < 1) throw new UserError($"--cpus-per-task must be at least 1, not {resources.CpusPerTask}");
        if (resources.SignalSeconds is < 1 or > 65535) throw new UserError($"--signal-seconds must be between 1 and 65535, not {resources.SignalSeconds}");
        return new SweepExecution(executor, parallel, resources);
    }

    /// <summary><c>sbatch</c>'s path, or the one-line refusal (exit 6) before anything is stored; a password in <c>--db</c> is refused too, since jobs get it in their script.</summary>
    private static string SbatchOrRefuse(string db)
    {
        if (Uri.TryCreate(db, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1 && uri.UserInfo.Contains(':', StringComparison.Ordinal))
            throw new UserError("--db holds a password, which a SLURM job script would carry; give the password in PGPASSWORD or ~/.pgpass instead (jobs inherit the environment)");
        return SlurmArray.FindSbatch() ?? throw new SchedulerMissing("--executor slurm needs SLURM's sbatch, which is not on PATH; install slurm-client (or load the cluster's slurm module), or use --executor local");
    }

    private static string LogDir(SweepExecution execution, string db, string sweepId)
    {
        if (execution.Slurm.LogDir is { } given) return Path.GetFullPath(Path.Combine(given, sweepId));
        var isFile = !Uri.TryCreate(db, UriKind.Absolute, out var uri) || uri.IsFile;
        return isFile
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(db))!, "sweeps", sweepId)
            : Path.GetFullPath(Path.Combine("ouro-sweeps", sweepId));
    }

    private static JsonNode Seeds(string text)
    {
        var parts = List(text);
        if (parts.Count == 1 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return JsonValue.Create(n);
        var seeds = new JsonArray();
        foreach (var p in parts)
            seeds.Add(ulong.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? JsonValue.Create(seed)
                : throw new UserError($"--seeds expects a count N or a comma-separated list of whole numbers, not '{text}'"));
        return seeds;
    }

    private static List<string> List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string Describe(IReadOnlyList<SweepPoint> points) =>
        points.Select(p => p.Config["model"]?.ToString() ?? "offline").Distinct().All(m => m == "offline")
            ? "the offline program-mutation model (not a language model)" : "models: " + string.Join(", ", points.Select(p => p.Config["model"]?.ToString() ?? "offline").Distinct());
}

/// <summary>The scheduler a sweep asked for is not there: one line, exit <see cref="ExitCodes.SchedulerUnavailable"/>.</summary>
public sealed class SchedulerMissing(string message) : Exception(message);
