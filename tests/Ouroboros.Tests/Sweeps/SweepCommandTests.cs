using System.Text.Json.Nodes;
using Ouroboros.Store;
using Ouroboros.Tests.Cli;
using Ouroboros.Stop;
using Ouroboros.Tests.Models;
using Ouroboros.Tests.Store;
using Ouroboros.Tests.Tasks;

namespace Ouroboros.Tests.Sweeps;

/// <summary>
/// <c>ouro sweep</c> as a user runs it, on two tiny tasks (the knapsack example with 3 instances per
/// split) and small budgets: a 2 × 2 grid locally and through the real sbatch, a scancel mid-run and
/// the resume, a failed point, a missing sbatch. One class, so its slow tests run one after another.
/// The SLURM sweep writes to PostgreSQL where it is installed (always on CI), as a team's would.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SweepCommandTests : IDisposable
{
    private readonly PostgresServer _server;
    private readonly string _scratch = Directory.CreateTempSubdirectory("ouro-sweep-").FullName;
    private string Tasks => Path.Combine(_scratch, "tasks");

    /// <summary>T = 1 and the smallest budgets: each point is a whole STOP run in seconds.</summary>
    private static readonly string[] Small =
        ["--iterations", "1", "--runs", "2", "--meta-utility-budget", "2", "--model-budget", "1", "--max-responses-per-call", "2"];

    public SweepCommandTests(PostgresServer server)
    {
        _server = server;
        // Two tasks that differ in their instances, from the knapsack example, with 3 instances per split.
        foreach (var (id, shift) in new[] { ("knap-a", 0), ("knap-b", 17) })
        {
            var folder = Directory.CreateDirectory(Path.Combine(Tasks, id)).FullName;
            foreach (var f in Directory.GetFiles(TaskFolderTests.Example)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
            var json = File.ReadAllText(Path.Combine(folder, "task.json"))
                .Replace("\"id\": \"knapsack\"", $"\"id\": \"{id}\"", StringComparison.Ordinal)
                .Replace("\"firstSeed\": 4321, \"count\": 20", $"\"firstSeed\": {4321 + shift}, \"count\": 3", StringComparison.Ordinal)
                .Replace("\"firstSeed\": 5678, \"count\": 50", $"\"firstSeed\": {5678 + shift}, \"count\": 3", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(folder, "task.json"), json);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_scratch, recursive: true);
    }

    [SlurmFact]
    public async Task A_2x2_sweep_scores_the_same_locally_and_on_slurm_with_a_scancelled_element_resumed_without_repeating_work()
    {
        var local = Path.Combine(_scratch, "local.db");
        var slurm = PostgresServer.Wanted ? _server.NewDatabase() : Path.Combine(_scratch, "slurm.db");
        var (exit, stdout, stderr) = await Ouro([.. Grid(local), "--parallel", "2", "--json"]);
        Assert.True(exit == 0, stderr);
        var localReport = JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsObject();
        Assert.Equal("finished", (string)localReport["status"]!);

        (exit, stdout, stderr) = await Ouro([.. Grid(slurm), "--executor", "slurm", "--json"]);
        Assert.True(exit == 0, stderr);
        var submitted = JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsObject();
        var sweepId = (string)submitted["sweep"]!;
        var jobId = (string)submitted["jobId"]!;
        var victim = $"{sweepId}-p0";

        // Into point 0's work (some evaluations stored), then SLURM cancels its element: SIGTERM, SIGKILL after KillWait.
        await Until(() => Evaluations(slurm, victim) >= 2, "point 0 to store evaluations");
        await Scancel($"{jobId}_0");
        await Until(() => Status(slurm, victim) is RunStates.Interrupted or RunStates.Failed, "point 0 to stop after scancel");
        Assert.Equal(RunStates.Interrupted, Status(slurm, victim));
        await Until(() => AllEnded(slurm, sweepId, except: 0), "the other elements to end");
        var (_, statusOut, _) = await Ouro("sweep", "--status", sweepId, "--db", slurm, "--json");
        var point0 = JsonNode.Parse(OuroProcess.LastLine(statusOut))!.AsArray()[0]!;
        Assert.Equal("interrupted", (string)point0["state"]!);
        Assert.Equal($"{jobId}_0", (string)point0["slurmJob"]!);

        // The resume resubmits only the unfinished point; it completes as if never interrupted.
        (exit, _, stderr) = await Ouro("sweep", "--resume", sweepId, "--db", slurm);
        Assert.True(exit == 0, stderr);
        Assert.Contains("--array=0)", stderr);
        // The element that ends the last point closes the sweep.
        await Until(() => Status(slurm, sweepId) == RunStates.Finished, "the resubmitted point to end and close the sweep");

        (exit, stdout, stderr) = await Ouro("report", "--sweep", sweepId, "--db", slurm, "--json");
        Assert.True(exit == 0, stderr);
        var slurmReport = JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsObject();
        Assert.Equal("finished", (string)slurmReport["status"]!);
        Assert.Equal(Scores(localReport), Scores(slurmReport));
        Assert.Equal(4, slurmReport["points"]!.AsArray().Count);
        foreach (var cell in slurmReport["cells"]!.AsArray())
        {
            Assert.Equal(2, (int)cell!["finalN"]!);
            Assert.Equal(2, (int)cell["baselineN"]!);
            Assert.NotNull(cell["seedImproverCi95"]);
        }

        // No model call answered twice and no evaluation made twice: the resumed point's ledger and
        // evaluations are those of the same point run uninterrupted.
        var reference = (string)localReport["points"]![0]!["runId"]!;
        Assert.Equal(OkCalls(local, reference), OkCalls(slurm, victim));
        Assert.Equal(OkCalls(slurm, victim).Distinct().Count(), OkCalls(slurm, victim).Count);
        Assert.Equal(Evaluations(local, reference), Evaluations(slurm, victim));

        (exit, stdout, _) = await Ouro("runs", "--kind", "sweep", "--db", slurm, "--json");
        Assert.Equal(0, exit);
        Assert.Equal(sweepId, (string)JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsArray().Single()!["id"]!);

        // The laptop's runs go to the team's store unchanged: every iteration's improver hash and scores, every program.
        (exit, _, stderr) = await Ouro("store", "copy", "--from", local, "--to", slurm);
        Assert.True(exit == 0, stderr);
        foreach (var point in localReport["points"]!.AsArray())
        {
            var run = (string)point!["runId"]!;
            Assert.Equal(Iterations(local, run), Iterations(slurm, run));
            Assert.Equal(Evaluated(local, run), Evaluated(slurm, run));
            // Programs are content-addressed: one the cluster's twin run stored first keeps that run as its
            // first writer, so compare what each of this run's programs is, not who stored it.
            var programs = Read(local, s => s.Programs.ProgramsOf(run).Select(p => p.Hash).ToList());
            Assert.Equal(Programs(local, programs), Programs(slurm, programs));
        }

        // A run the cluster wrote replays identically from the shared store.
        (exit, stdout, stderr) = await Ouro("replay", $"{sweepId}-p1", "--db", slurm, "--json");
        Assert.True(exit == 0, stderr);
        Assert.True((bool)JsonNode.Parse(OuroProcess.LastLine(stdout))!["identical"]!, stdout);
    }

    private static string Iterations(string db, string runId) => Read(db, s => string.Join("\n", new IterationTable(s).Iterations(runId)
        .Select(i => $"{i.T} {i.ImproverHash} {i.Val:R} {i.Test:R} {string.Join(",", i.ValRuns)} {string.Join(",", i.TestRuns)} {i.Adopted}")));

    private static string Programs(string db, IEnumerable<string> hashes) => Read(db, s => string.Join("\n", hashes
        .Select(h => $"{h} {Ouroboros.Compilation.ProgramHash.Of(s.Programs.ProgramSource(h) ?? "")} {s.Programs.ProgramParent(h)}")));

    private static string Evaluated(string db, string runId) => Read(db, s => string.Join("\n", s.Evaluations.EvaluationsOf(runId)
        .Select(e => $"{e.ProgramHash} {e.Task} {e.Split} {e.Seeds} {e.Utility:R} {e.Instances.ToJsonString()}")));

    [Fact]
    public async Task A_point_whose_model_fails_is_reported_and_the_others_still_finish()
    {
        // The second model's server lists the model (so the sweep's checks pass), then refuses every completion.
        await using var refusing = await StubServer.StartAsync((_, _, context) => context.Request.Path.Value!.EndsWith("/models")
            ? StubServer.Json(context, """{"object":"list","data":[{"id":"m","object":"model"}]}""")
            : StubServer.Json(context, """{"error":{"message":"no such model","type":"NotFoundError"}}""", 404));
        var db = Path.Combine(_scratch, "failed.db");
        var (exit, stdout, stderr) = await Ouro(["sweep", "--tasks", "knap-a", "--tasks-dir", Tasks, "--models", $"offline,openai:{refusing.BaseUrl}#m",
            "--max-consecutive-model-faults", "1", .. Small, "--parallel", "2", "--db", db, "--json"]);

        Assert.True(exit == 7, stderr);
        var report = JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsObject();
        var points = report["points"]!.AsArray();
        Assert.Equal("finished", (string)points[0]!["state"]!);
        Assert.Equal("failed", (string)points[1]!["state"]!);
        Assert.Contains("HTTP 404", (string)points[1]!["error"]!);
        Assert.Equal("[1]", report["unfinished"]!.ToJsonString());
        Assert.Equal(0, (int)report["cells"]![1]!["finished"]!);
        Assert.Null(report["cells"]![1]!["final"]);
        Assert.Contains("sweep --resume", stderr);

        // The tables list it too, with why.
        (exit, stdout, _) = await Ouro("report", "--sweep", (string)report["id"]!, "--db", db);
        Assert.Equal(0, exit);
        Assert.Contains("Not finished (1 of 2)", stdout);
        Assert.Contains("point 1 (tasks=knap-a model=openai:", stdout);

        // The sweep's own report (and its page in the dashboard) carries the aggregate and each point's run.
        (exit, stdout, _) = await Ouro("report", (string)report["id"]!, "--db", db, "--json");
        Assert.Equal(0, exit);
        var own = JsonNode.Parse(OuroProcess.LastLine(stdout))!["sweep"]!;
        Assert.Equal(report["cells"]!.ToJsonString(), own["cells"]!.ToJsonString());
        (exit, stdout, _) = await Ouro("report", (string)report["id"]!, "--db", db);
        Assert.Contains("Sweep: points", stdout);
        Assert.Equal((string)points[1]!["runId"]!, (string)own["points"]![1]!["runId"]!);
    }

    [Fact]
    public async Task Slurm_without_sbatch_is_one_line_exit_6_and_no_store()
    {
        var db = Path.Combine(_scratch, "none.db");
        var dotnetDir = Path.GetDirectoryName(Environment.ProcessPath) ?? "/usr/bin";
        var (exit, stdout, stderr) = await OuroProcess.RunWithAsync(new Dictionary<string, string?> { ["PATH"] = dotnetDir },
            ["sweep", "--tasks", "knap-a", "--tasks-dir", Tasks, "--executor", "slurm", "--db", db]);
        Assert.Equal(6, exit);
        Assert.Equal("ouro: --executor slurm needs SLURM's sbatch, which is not on PATH; install slurm-client (or load the cluster's slurm module), or use --executor local",
            Assert.Single(stderr.Trim().Split('\n')));
        Assert.Equal("", stdout);
        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task Bad_grids_are_one_line_errors_before_any_store()
    {
        var db = Path.Combine(_scratch, "bad.db");
        foreach (var (args, says) in new[]
        {
            (new[] { "--tasks", "knap-a,nope" }, "nope"),
            (new[] { "--tasks", "knap-a", "--seeds", "0" }, "seeds must be a count between 1"),
            (new[] { "--tasks", "knap-a", "--seeds", "1,x" }, "--seeds expects a count N"),
            (new[] { "--tasks", "knap-a", "--models", "offline", "--model", "offline" }, "model is given both as one value and as a sweep axis"),
            (new[] { "--tasks", "knap-a", "--executor", "cloud" }, "--executor 'cloud' is not one of local, slurm"),
        })
        {
            var (exit, _, stderr) = await Ouro(["sweep", "--tasks-dir", Tasks, .. args, "--db", db]);
            Assert.Equal(2, exit);
            Assert.Contains(says, Assert.Single(stderr.Trim().Split('\n')));
            Assert.False(File.Exists(db));
        }
    }

    private string[] Grid(string db) => ["sweep", "--tasks", "knap-a,knap-b", "--tasks-dir", Tasks, "--seeds", "2", .. Small, "--db", db];

    private static Task<(int Exit, string Out, string Err)> Ouro(params string[] args) => OuroProcess.RunAsync(args);

    /// <summary>Each point's test scores, by index: what two executions of one sweep must agree on.</summary>
    private static string Scores(JsonObject report) => string.Join("\n", report["points"]!.AsArray().Select(p =>
        $"{p!["index"]} {p["coordinates"]!.ToJsonString()} {p["state"]} t={p["finalT"]} final={p["final"]} seed={p["seedImprover"]} baseline={p["baseline"]}"));

    private static T Read<T>(string db, Func<IRunStore, T> read)
    {
        using var store = RunStores.OpenExisting(db);
        return read(store);
    }

    private static int Evaluations(string db, string runId) => File.Exists(db) || !db.EndsWith(".db", StringComparison.Ordinal) ? Read(db, s => s.Evaluations.EvaluationCount(runId)) : 0;

    private static string? Status(string db, string runId) => Read(db, s => s.Journal.GetRun(runId)?.Status);

    private static List<string> OkCalls(string db, string runId) => Read(db, s => s.Ledger(runId).All()
        .Where(c => c.Outcome == "ok").Select(c => $"{c.RequestHash}@{c.Position}").Order().ToList());

    private static bool AllEnded(string db, string sweepId, int? except = null) => Read(db, s =>
    {
        var plan = Ouroboros.Sweeps.SweepPlan.FromConfig(sweepId, s.Journal.GetRun(sweepId)!.Config);
        return Ouroboros.Sweeps.SweepPoints.States(s, plan).Where(p => p.Point.Index != except)
            .All(p => p.State is RunStates.Finished or RunStates.Failed);
    });

    private static async Task Scancel(string job)
    {
        using var scancel = System.Diagnostics.Process.Start("scancel", [job])!;
        await scancel.WaitForExitAsync();
        Assert.Equal(0, scancel.ExitCode);
    }

    /// <summary>Polls until <paramref name="done"/>; a sweep that hangs fails the test instead of blocking the suite.</summary>
    private static async Task Until(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(8);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(250);
        }
    }
}
