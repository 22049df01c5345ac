using System.CommandLine;
using Ouroboros.Compilation;
using Ouroboros.Store;
using Ouroboros.Transfer;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro transfer</c>: a stored improver and the seed improver side by side, at the same budgets,
/// on tasks it was not improved on — STOP's Table 1: u(s), û(I₀), û(I_T), with n and 95% intervals.
/// </summary>
public static class TransferCommand
{
    public static Command Create()
    {
        var binder = new OptionBinder<TransferOptions>()
            .Add<string>("improver", "The improver: a STOP run id, a program hash, a C# file or 'seed'")
            .AddList("tasks", "The tasks of the table")
            .Add<int>("metaUtilityRuns", "Improver runs per meta-utility (STOP: 5)", "--runs")
            .AddCommon();
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var cmd = new Command("transfer", "Compare an improver with the seed improver on other tasks (STOP's Table 1).") { db, json };
        binder.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var options = binder.Bind(parse); // before the store is opened: bad input creates no store
            using var store = RunOptions.OpenForWriting(parse.GetValue(db)!);
            var (source, label) = ImproverReference.Resolve(options.Improver, store);
            options = options with { Improver = ProgramHash.Of(source) };
            var catalog = ExperimentRun.Catalog(options);
            Stop.ImproverOptions.Resolve(catalog, "tasks", options.Tasks);
            var runId = RunIds.New("transfer");
            var model = ExperimentRun.Model(options, store, runId);
            using var lease = ExperimentRun.Create(store, runId, options);
            store.Programs.PutProgram(options.Improver, "improver", source, null, runId);
            Console.Error.WriteLine($"ouro: run {runId}: {label} vs the seed improver on {string.Join(", ", options.Tasks)} with {ExperimentRun.Describe(options)}");
            return await ExperimentRun.RunAsync(new TransferExperiment(catalog), options, store, lease, model, parse.GetValue(json), cancellationToken);
        });
        return cmd;
    }
}
