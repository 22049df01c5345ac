using System.CommandLine;
using Ouroboros.Compilation;
using Ouroboros.Improve;
using Ouroboros.Reporting;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary><c>ouro improve</c>: one improver on one task, u(s) → u(I(u, s)), on both splits.</summary>
public static class ImproveCommand
{
    public static Command Create()
    {
        var binder = new OptionBinder<ImproveOptions>()
            .Add<string>("task", "The task whose seed solution is improved")
            .Add<string>("improver", "seed, a C# file, a STOP run id or a program hash")
            .Add<int>("modelBudget", "Model calls the improver run may make (STOP: 4)")
            .AddCommon();
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var cmd = new Command("improve", "Run one improver once on a task's seed solution: u(s) before, u(I(u, s)) after.") { db, json };
        binder.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var bound = binder.Bind(parse); // before the store is opened: bad input creates no store
            using var store = RunOptions.OpenForWriting(parse.GetValue(db)!);
            var (source, label) = ImproverReference.Resolve(bound.Improver, store);
            var options = bound with { Improver = ProgramHash.Of(source) };
            var catalog = ExperimentRun.Catalog(options);
            Stop.ImproverOptions.Resolve(catalog, "task", [options.Task]);
            var runId = RunIds.New("improve");
            var model = ExperimentRun.Model(options, store, runId);
            using var lease = ExperimentRun.Create(store, runId, options);
            store.Programs.PutProgram(options.Improver, "improver", source, null, runId);
            Console.Error.WriteLine($"ouro: run {runId}: {label} on {options.Task} with {ExperimentRun.Describe(options)}");
            return await ExperimentRun.RunAsync(new ImproveExperiment(catalog), options, store, lease, model, parse.GetValue(json), cancellationToken,
                (result, s) => Print(runId, result, s));
        });
        return cmd;
    }

    private static void Print(string runId, ImproveResult r, IRunStore store)
    {
        var safety = store.Journal.EventCounts(runId);
        Console.WriteLine($"run {runId}: {r.Task}: u(s) val {r.Before.Val:0.000} test {r.Before.Test:0.000}"
            + $"  →  u(I(u, s)) val {r.After.Val:0.000} test {r.After.Test:0.000}  (improver run {r.Status}, {r.UtilityCalls} utility calls)"
            + $"\nsafety events: {(safety.Count == 0 ? "none" : string.Join(", ", safety.Select(kv => $"{kv.Key} {kv.Value}")))}");
        // Why the improver produced nothing (its compile errors, its exception): otherwise only a status word.
        if (r.Error is { } error) Console.WriteLine($"improver run {r.Status}: {Printable.Text(error)}");
    }
}
