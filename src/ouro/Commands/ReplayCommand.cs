using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Models;
using Ouroboros.Runs;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.SelfRewarding;
using Ouroboros.Tampering;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro replay RUN</c>: re-executes a finished STOP run from its recorded model responses — no
/// model is called — re-running every program in the sandbox, and checks that every score and decision
/// matches. Exit 0 identical, 3 a mismatch, 5 could not reproduce because calls failed in the original.
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var runArg = new Argument<string>("run") { Description = "A finished STOP run (see 'ouro runs')" };
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var cmd = new Command("replay", "Re-execute a finished STOP or tamper run offline from its recorded responses (a self-reward demonstration: retrain from its seeds) and check every score matches.") { runArg, db, json };
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            using var store = RunOptions.OpenExisting(parse.GetValue(db)!);
            var original = RunReference.Resolve(store, parse.GetValue(runArg)!, store.Location);
            var row = store.Journal.GetRun(original)!;
            if (row.Kind is not ("stop" or TamperOptions.KindName or SelfRewardOptions.KindName))
                throw new UserError($"run {original} is a '{row.Kind}' run; only STOP, tamper and self-reward runs can be replayed");
            if (row.Status != RunStates.Finished)
                throw new UserError($"run {original} has not finished ({row.Status}); " + $"finish it with 'ouro {row.Kind} --resume {original}' first");
            if (row.Kind == TamperOptions.KindName) return await TamperAsync(store, original, row, parse.GetValue(json), cancellationToken);
            if (row.Kind == SelfRewardOptions.KindName) return await SelfRewardAsync(store, original, row, parse.GetValue(json), cancellationToken);

            var options = new OptionBinder<StopOptions>().FromStored(row.Config);
            var catalog = ExperimentRun.Catalog(options);
            var replayId = RunIds.New("replay");
            var watch = new ReplayMissWatch(ExperimentRun.Model(options, store, replayId, replayOf: original));
            var config = ConfigJson.Write(options);
            config["replayOf"] = original;
            store.Journal.CreateRun(replayId, "replay", config);
            using var lease = ExperimentRun.Lease(store, replayId);
            Console.Error.WriteLine($"ouro: run {replayId}: replaying {original} from its recorded responses (no model is called)");
            var progress = new RunProgress();
            try
            {
                await using (new ProgressDisplay(progress))
                    await ExperimentHost.RunAsync(new StopExperiment(catalog), options, store, replayId, watch, progress, cancellationToken, lease: lease);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine($"ouro: replay {replayId} interrupted; replay again with: ouro replay {original}");
                return ExitCodes.Interrupted;
            }
            var result = ReplayComparison.Compare(store, original, replayId, watch.Misses, watch.OriginalFailures);
            if (parse.GetValue(json)) Console.WriteLine(result.ToJsonString());
            else Print(result);
            return (string)result["outcome"]! switch
            {
                ReplayComparison.Identical => ExitCodes.Ok,
                ReplayComparison.Unreproducible => ExitCodes.ReplayUnreproducible,
                _ => ExitCodes.ReplayMismatch,
            };
        });
        return cmd;
    }

    /// <summary>A tamper run again from its recording: every episode's commands run anew in fresh sandboxed shells, then compared.</summary>
    private static Task<int> TamperAsync(IRunStore store, string original, RunRow row, bool json, CancellationToken cancellationToken)
    {
        var options = new OptionBinder<TamperOptions>().FromStored(row.Config);
        EnvironmentCatalog catalog;
        try { catalog = EnvironmentCatalog.Load(options.EnvironmentsDir); }
        catch (EnvironmentDefinitionException e) { throw new UserError(e.Message); }
        return ReplayAsync(store, original, options, "from its recorded responses (no model is called)", json, replayId =>
        {
            var watch = new ReplayMissWatch(ExperimentRun.Model(options, store, replayId, replayOf: original));
            var grader = options.GraderModel is { } g && g != options.Model
                ? new ReplayMissWatch(ExperimentRun.Model(options with { Model = g }, store, replayId, replayOf: original)) : null;
            return (grader is null ? [watch] : [watch, grader], (progress, lease) =>
                ExperimentHost.RunAsync(new TamperExperiment(catalog, grader), options, store, replayId, watch, progress, cancellationToken, lease: lease));
        }, TamperReplayComparison.Compare, cancellationToken);
    }

    /// <summary>
    /// A self-reward demonstration again: every model trained anew from the same seeds with the same thread
    /// count (so the same weights, bit for bit), its answers and judgements drawn again, then compared. A
    /// run against a user's model trained through their trainer command, which an offline replay cannot run.
    /// </summary>
    private static Task<int> SelfRewardAsync(IRunStore store, string original, RunRow row, bool json, CancellationToken cancellationToken)
    {
        var options = new OptionBinder<SelfRewardOptions>().FromStored(row.Config);
        if (options.Demo is not { } settings)
            throw new UserError($"run {original} trained your model through its trainer command, which a replay cannot run again offline; only '--demo' self-reward runs can be replayed");
        return ReplayAsync(store, original, options, "training its models again from the same seeds", json, replayId =>
        {
            var watch = new ReplayMissWatch(ExperimentRun.Model(options, store, replayId, replayOf: original));
            return ([watch], (progress, lease) => ExperimentHost.RunAsync(new SelfRewardExperiment(new Ouroboros.Training.SelfRewarding.SmallModelSetup(store, replayId, settings)),
                options, store, replayId, watch, progress, cancellationToken, lease: lease));
        }, SelfRewardReplayComparison.Compare, cancellationToken);
    }

    /// <summary>
    /// What every experiment's replay does around its own run and comparison: a <c>replay</c> run with the
    /// original's configuration, its lease, progress, an interruption that says how to try again, the
    /// comparison printed, and the exit code its outcome means.
    /// </summary>
    private static async Task<int> ReplayAsync(IRunStore store, string original, ExperimentOptions options, string how, bool json,
        Func<string, (ReplayMissWatch[] Watches, Func<RunProgress, RunLease, Task> Run)> prepare,
        Func<IRunStore, string, string, IReadOnlyList<string>, IReadOnlyList<string>?, JsonObject> compare, CancellationToken cancellationToken)
    {
        var replayId = RunIds.New("replay");
        var (watches, run) = prepare(replayId);
        var config = ConfigJson.Write(options);
        config["replayOf"] = original;
        store.Journal.CreateRun(replayId, "replay", config);
        using var lease = ExperimentRun.Lease(store, replayId);
        Console.Error.WriteLine($"ouro: run {replayId}: replaying {original} {how}");
        var progress = new RunProgress { Kind = options.Kind };
        try
        {
            await using (new ProgressDisplay(progress))
                await run(progress, lease);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"ouro: replay {replayId} interrupted; replay again with: ouro replay {original}");
            return ExitCodes.Interrupted;
        }
        var result = compare(store, original, replayId, watches.SelectMany(w => w.Misses).ToList(), watches.SelectMany(w => w.OriginalFailures).ToList());
        if (json) Console.WriteLine(result.ToJsonString());
        else Print(result);
        return (string)result["outcome"]! switch
        {
            ReplayOutcome.Identical => ExitCodes.Ok,
            ReplayOutcome.Unreproducible => ExitCodes.ReplayUnreproducible,
            _ => ExitCodes.ReplayMismatch,
        };
    }

    private static void Print(JsonObject r)
    {
        int failed = r["originalFailures"]!.AsArray().Count;
        var calls = $"{failed} call{(failed == 1 ? "" : "s")} that failed in the original";
        Console.WriteLine((string)r["outcome"]! switch
        {
            ReplayComparison.Identical => $"replay {r["replay"]} of {r["run"]}: identical — every score and decision matches" + (failed > 0 ? $" ({calls} failed again)" : ""),
            ReplayComparison.Unreproducible => $"replay {r["replay"]} of {r["run"]}: could not reproduce: the original's call failed ({calls}; nothing was recorded to answer them), so these differences are not a mismatch:",
            _ => $"replay {r["replay"]} of {r["run"]}: {r["mismatches"]!.AsArray().Count} mismatch(es)",
        });
        foreach (var m in r["mismatches"]!.AsArray()) Console.WriteLine($"  {m}");
    }
}
