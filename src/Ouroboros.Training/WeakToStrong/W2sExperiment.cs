using Ouroboros.Runs;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// <c>w2s</c>: weak-to-strong generalization (Burns et al. 2023). For each view and seed — a cell —
/// the protocol of <see cref="LatentProtocol"/>; cells run side by side (at most the run's
/// <c>parallel</c>), each on one torch thread, and their models are stored in <see cref="W2sTable"/> as
/// each cell ends. A resumed run keeps the cells whose rows are all stored and runs the others.
/// </summary>
public sealed class W2sExperiment : IExperiment<W2sOptions, W2sResult>
{
    public async Task<W2sResult> RunAsync(RunContext run, W2sOptions options, CancellationToken cancellationToken)
    {
        // One torch thread per cell: results are bit-identical for a fixed thread count, and cells are the parallelism.
        TorchRuntime.Initialize(1);
        var table = new W2sTable(run.Store);
        var protocol = new LatentProtocol(options);
        var stored = table.Rows(run.Id).GroupBy(r => (r.View, r.Seed)).ToDictionary(g => g.Key, g => g.Count());
        var cells = options.Views.SelectMany(v => Enumerable.Range(0, options.Seeds).Select(s => (View: v, Seed: s))).ToList();
        int done = 0;
        await run.FanoutAsync(cells.Count, async i =>
        {
            var (view, seed) = cells[i];
            if (stored.GetValueOrDefault((view, seed)) != protocol.RowsPerCell)
            {
                var rows = await Task.Run(() => protocol.Run(run.Id, view, seed, cancellationToken), cancellationToken);
                // Stored once the cell is whole: a cell with fewer rows than it should have is run again on resume.
                foreach (var row in rows) table.Put(row);
            }
            run.Progress.SetPhase($"{Interlocked.Increment(ref done)} of {cells.Count} cells (view × seed)");
            return 0;
        }, cancellationToken);
        var all = table.Rows(run.Id);
        return new W2sResult(options.Setting, all.Count, PgrGroups.From(all));
    }
}
