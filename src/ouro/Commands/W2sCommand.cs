using System.CommandLine;
using Ouroboros.Training.WeakToStrong;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro w2s</c>: weak-to-strong generalization (Burns et al. 2023) — a weak supervisor trained on
/// split A labels split B, strong students learn those labels, ceilings learn B's truth, and the report
/// gives the performance gap recovered per view, method, epochs and size pair, with bootstrapping
/// chains and training curves. No language model is called. <c>--resume RUN</c> continues an
/// interrupted run with its stored configuration, training only the cells it had not stored.
/// </summary>
public static class W2sCommand
{
    public static Command Create()
    {
        var binder = new OptionBinder<W2sOptions>()
            .Add<string>("setting", "latent: setting (a), logistic regressions over views of a latent variable; transformer: setting (b), tiny transformers pretrained on a synthetic corpus")
            .AddList("views", "Setting (a)'s student views of the supervisor's noise: inexpressible, salient, less-salient")
            .AddList("methods", "Transfer methods: xent, logconf-paper, logconf-repo")
            .Add<int>("seeds", "Independent seeds (populations and training orders)")
            .AddList("epochs", "Epoch counts each student trains for, each a separate training")
            .Add<int>("groundTruthEpochs", "Epochs of the weak supervisor and the ceilings on ground truth")
            .AddList("sizes", "Model sizes, ascending: the smallest supervises, the largest is the strong student")
            .Add<bool>("bootstrap", "Run a bootstrapping chain through every size (needs three sizes at least)")
            .Add<string>("splitA", "Split A, the supervisor's ground truth, as start..end example indices")
            .Add<string>("splitB", "Split B, weak labels for students and ground truth for ceilings, as start..end")
            .Add<string>("splitTest", "The test split, evaluation only, as start..end")
            .Add<int>("latentDimension", "Dimension of setting (a)'s latent variable")
            .Add<int>("batchSize", "Minibatch size of every training")
            .Add<double>("learningRate", "SGD learning rate of setting (a)'s logistic regressions")
            .Add<double>("fineTuneLearningRate", "Setting (b): Adam learning rate of the transformers' fine-tuning")
            .Add<int>("sequenceLength", "Setting (b): symbols per example (odd)")
            .Add<int>("pretrainSteps", "Setting (b): self-supervised pretraining steps of each size")
            .Add<int>("pretrainDocuments", "Setting (b): documents in the pretraining corpus")
            .Add<ulong>("seed", "Seed of everything stochastic (populations, training orders)")
            .Add<int>("parallel", "Most cells (view × seed) trained side by side; results do not depend on it");
        var resume = new Option<string?>("--resume") { Description = "Continue an interrupted run (its id or a unique prefix, from 'ouro runs'); its stored configuration is used, and the cells it stored are not trained again" };
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var cmd = new Command("w2s", "Weak-to-strong generalization: a weak supervisor's labels train strong students; report the performance gap recovered.") { resume, db, json };
        binder.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(resume) is { } reference) return await ResumeAsync(binder, parse, reference, parse.GetValue(db)!, parse.GetValue(json), cancellationToken);
            var options = binder.Bind(parse);
            using var store = RunOptions.OpenForWriting(parse.GetValue(db)!);
            var runId = RunIds.New(W2sOptions.KindName);
            var model = ExperimentRun.Model(options, store, runId);
            using var lease = ExperimentRun.Create(store, runId, options);
            Console.Error.WriteLine($"ouro: run {runId}: weak-to-strong, setting {options.Setting}: {(options.Setting == W2sOptions.Latent ? $"{options.Views.Count} views × " : "")}{options.Seeds} seeds, " +
                $"sizes {string.Join(",", options.Sizes)}, methods {string.Join(",", options.Methods)}, epochs {string.Join(",", options.Epochs)}");
            return await ExperimentRun.RunAsync(new W2sExperiment(), options, store, lease, model, parse.GetValue(json), cancellationToken);
        });
        return cmd;
    }

    /// <summary><c>--resume RUN</c>: the run's stored configuration (an option given that contradicts it is refused), its lease, then the cells not yet stored.</summary>
    private static async Task<int> ResumeAsync(OptionBinder<W2sOptions> binder, ParseResult parse, string reference, string db, bool json, CancellationToken cancellationToken)
    {
        using var store = RunOptions.OpenExisting(db);
        var (row, options) = ExperimentRun.Stored(binder, parse, store, reference, W2sOptions.KindName, "a w2s run");
        var model = ExperimentRun.Model(options, store, row.Id);
        using var lease = ExperimentRun.Resume(store, row.Id);
        var stored = new W2sTable(store).Rows(row.Id).Count;
        Console.Error.WriteLine($"ouro: run {row.Id}: resumed with {stored} models already stored, store {store.Location}");
        return await ExperimentRun.RunAsync(new W2sExperiment(), options, store, lease, model, json, cancellationToken);
    }
}
