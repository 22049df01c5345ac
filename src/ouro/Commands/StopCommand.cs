using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Sandbox;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro stop</c>: the self-improvement run, end to end — the seed improver, T iterations of the
/// improver improving itself under the meta-utility, the best-of-N baseline, and the report.
/// <c>--resume RUN</c> continues a run that was interrupted or killed.
/// </summary>
public static class StopCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "The downstream task whose meta-utility drives the run", DefaultValueFactory = _ => "lpn" };
        var model = new ModelOptions();
        var iterations = new Option<int>("--iterations") { Description = "Self-improvement iterations T", DefaultValueFactory = _ => 3 };
        var runs = new Option<int>("--runs") { Description = "Improver runs per meta-utility evaluation (STOP: 5)", DefaultValueFactory = _ => 5 };
        var responses = new Option<int>("--responses-per-call") { Description = "Responses per model call, STOP's n (6)", DefaultValueFactory = _ => 6 };
        var modelBudget = new Option<int>("--model-budget") { Description = "Model calls per improver run, STOP's m (4)", DefaultValueFactory = _ => 4 };
        var improverTimeout = new Option<int>("--improver-timeout-s") { Description = "Wall-clock limit of one improver run, not counting time spent on its model and utility calls", DefaultValueFactory = _ => 60 };
        var seed = RunOptions.Seed();
        var resume = new Option<string?>("--resume") { Description = "Continue an interrupted run (its id from 'ouro runs', or a unique prefix of it); its stored configuration is used" };
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var tasksDir = TasksCommand.TasksDirOption();
        var cmd = new Command("stop", "Run STOP: an improver improves itself, scored by the meta-utility, with a baseline and a safety report.")
        {
            task, iterations, runs, responses, modelBudget, improverTimeout, seed, resume, db, json, tasksDir,
        };
        model.AddTo(cmd, withReplay: false, withSeed: false);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            using var store = RunOptions.OpenForWriting(parse.GetValue(db)!);
            var records = new RunRecords(store);
            JsonObject config;
            string runId;
            if (parse.GetValue(resume) is { } resumeReference)
            {
                var resumeId = RunReference.Resolve(store, resumeReference, store.Path);
                var row = records.GetRun(resumeId)!;
                if (row.Kind != "stop") throw new UserError($"run {resumeId} is a '{row.Kind}' run, not a STOP run; only 'ouro stop' runs resume");
                if (row.Status == RunRecords.Finished) throw new UserError($"run {resumeId} has already finished; read it with 'ouro report {resumeId}'");
                (runId, config) = (resumeId, row.Config);
            }
            else
            {
                config = new JsonObject
                {
                    ["task"] = parse.GetValue(task), ["iterations"] = parse.GetValue(iterations),
                    ["runs"] = parse.GetValue(runs), ["improverTimeoutSeconds"] = parse.GetValue(improverTimeout),
                    ["responsesPerCall"] = parse.GetValue(responses), ["modelBudget"] = parse.GetValue(modelBudget),
                    ["seed"] = parse.GetValue(seed), ["tasksDir"] = parse.GetValue(tasksDir)?.FullName,
                };
                model.Store(parse, config);
                runId = RunIds.New("stop");
            }
            var setup = RunSetup.Prepare(config, store, runId);   // every check before the store is touched
            if (parse.GetValue(resume) is null) records.CreateRun(runId, "stop", config);
            else records.SetStatus(runId, RunRecords.Running);
            Console.Error.WriteLine($"ouro: run {runId}: STOP on {setup.Task.Id} with {setup.ModelDescription}, T = {setup.Options.Iterations}, store {store.Path}");

            return await RunSetup.RunAsync(records, runId, cancellationToken, async (pool, progress) =>
            {
                return await StopExperiment.RunAsync(new StopRun(runId, records, pool, setup.Model, setup.Task, setup.Options, progress), cancellationToken);
            }, (_, r) => FinalReport.Json(r, runId), parse.GetValue(json), setup.Options.Iterations, FinalReport.Print(store, runId));
        });
        return cmd;
    }
}
