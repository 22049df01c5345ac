using Ouroboros.Runs;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// <c>w2s</c>: weak-to-strong generalization (Burns et al. 2023). For each view and seed — a cell —
/// the protocol of <see cref="Protocol"/>, one cell after another on one thread, its models stored
/// in <see cref="W2sTable"/> as the cell ends. A resumed run keeps the cells whose rows are all stored and
/// runs the others.
/// </summary>
public sealed class W2sExperiment : IExperiment<W2sOptions, W2sResult>
{
    public async Task<W2sResult> RunAsync(RunContext run, W2sOptions options, CancellationToken cancellationToken)
    {
        // One torch thread: results are bit-identical for a fixed thread count, and these models are too small
        // for intra-op threads to help.
        TorchRuntime.Initialize(1);
        var table = new W2sTable(run.Store);
        var protocol = new Protocol(options);
        var stored = table.Rows(run.Id).GroupBy(r => (r.View, r.Seed)).ToDictionary(g => g.Key, g => g.Count());
        // Setting (a): a cell per view and seed; setting (b): per seed (its one view is the corpus).
        var views = options.Setting == W2sOptions.Latent ? options.Views : [SymbolCorpus.CorpusView];
        var cells = views.SelectMany(v => Enumerable.Range(0, options.Seeds).Select(s => (View: v, Seed: s))).ToList();
        // Cells one at a time, not side by side: TorchSharp 0.107 training on two threads at once failed inside
        // libtorch (a Scalar's toFloat check in SGD.step, intermittently), and two cores gain little here.
        await Task.Run(() =>
        {
            for (var i = 0; i < cells.Count; i++)
            {
                var (view, seed) = cells[i];
                run.Progress.SetPhase($"cell {i + 1} of {cells.Count}: view {view}, seed {seed}");
                if (stored.GetValueOrDefault((view, seed)) == protocol.RowsPerCell) continue;
                ICellData data = options.Setting == W2sOptions.Latent ? new LatentPopulation(options, seed).For(view) : new SymbolCorpus(options, seed);
                var rows = protocol.Run(run.Id, data, seed, cancellationToken);
                // Stored once the cell is whole: a cell with fewer rows than it should have is run again on resume.
                foreach (var row in rows) table.Put(row);
            }
        }, cancellationToken);
        var all = table.Rows(run.Id);
        return new W2sResult(options.Setting, all.Count, PgrGroups.From(all));
    }
}
