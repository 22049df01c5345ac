namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// One cell (a setting's data for one seed, and in setting (a) one view), the protocol in order (digest §3.1):
/// 1. the weak supervisor (smallest size) trains on split A's ground truth;
/// 2. it labels split B, softly, and nothing else;
/// 3. at every larger size, a ceiling trains on B's ground truth and a student on B's weak labels,
///    once per method and epoch count;
/// 4. with bootstrapping, a chain runs through every size, each link labelled by its predecessor.
/// The test split only measures each finished model.
/// </summary>
public sealed class Protocol(W2sOptions options)
{
    /// <summary>How many rows one (view, seed) cell stores: a resume skips cells that have them all.</summary>
    public int RowsPerCell
    {
        get
        {
            int larger = options.Sizes.Count - 1, trainings = options.Methods.Count * options.Epochs.Count;
            return 1 + larger + larger * trainings + (options.Bootstrap ? larger * trainings : 0);
        }
    }

    public IReadOnlyList<W2sRow> Run(string runId, ICellData data, int seedIndex, CancellationToken cancellationToken)
    {
        int weakSize = options.Sizes[0], strongest = options.Sizes[^1];
        var rows = new List<W2sRow>();
        W2sRow Row(string role, string method, int epochs, int supervisor, int size, double accuracy, IReadOnlyList<double>? curve = null) =>
            new(runId, data.Setting, data.View, seedIndex, role, method, epochs, supervisor, size, accuracy, curve);
        TrainingSettings Settings(int size, int epochs, string what) => this.Settings(seedIndex, epochs, what) with
        {
            Start = data.Start(size), Adam = data.Adam, LearningRate = data.Adam ? options.FineTuneLearningRate : options.LearningRate,
        };

        var weak = ClassifierTrainer.OnGroundTruth(data.GroundTruth(data.ViewOf(Split.A, weakSize)), Settings(weakSize, options.GroundTruthEpochs, $"weak:{weakSize}"));
        rows.Add(Row(W2sRow.Weak, "", options.GroundTruthEpochs, weakSize, weakSize, weak.Accuracy(data.Test(data.ViewOf(Split.Test, weakSize)))));

        var tests = options.Sizes.ToDictionary(s => s, s => data.Test(data.ViewOf(Split.Test, s)));
        foreach (var size in options.Sizes.Skip(1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var viewOfB = data.ViewOf(Split.B, size);
            var ceiling = ClassifierTrainer.OnGroundTruth(data.GroundTruth(viewOfB), Settings(size, options.GroundTruthEpochs, $"ceiling:{size}"));
            rows.Add(Row(W2sRow.Ceiling, "", options.GroundTruthEpochs, size, size, ceiling.Accuracy(tests[size])));
            var labels = WeakLabelledSet.Label(weak, $"{W2sRow.Weak}:{weakSize}", data.ViewOf(Split.B, weakSize), viewOfB);
            foreach (var method in options.Methods)
                foreach (var epochs in options.Epochs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var (student, curve) = ClassifierTrainer.OnWeakLabels(labels, new TransferMethod(method), size == strongest,
                        Settings(size, epochs, $"student:{size}:{method}"), m => m.Accuracy(tests[size]));
                    rows.Add(Row(W2sRow.Student, method, epochs, weakSize, size, curve[^1], curve));
                }
        }
        if (!options.Bootstrap) return rows;
        var rungs = options.Sizes.Select(s => (s, data.ViewOf(Split.B, s))).ToList();
        foreach (var method in options.Methods)
            foreach (var epochs in options.Epochs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var links = BootstrapChain.Train(weak, rungs, new TransferMethod(method), size => Settings(size, epochs, $"student:{size}:{method}"));
                for (var i = 0; i < links.Count; i++)
                    rows.Add(Row(W2sRow.Chain, method, epochs, i == 0 ? weakSize : links[i - 1].Size, links[i].Size, links[i].Model.Accuracy(tests[links[i].Size])));
            }
        return rows;
    }

    /// <summary>
    /// A training's minibatch order, seeded by the run's seed, the seed index and what is trained (a
    /// chain's link shares its seed with the direct student of its size and method, so the two differ
    /// only in who labelled their data).
    /// </summary>
    private TrainingSettings Settings(int seedIndex, int epochs, string what) =>
        new(epochs, options.BatchSize, options.LearningRate, LatentPopulation.SeedOf(options.Seed, seedIndex) ^ Fnv(what));

    /// <summary>FNV-1a of a name: a stable per-training seed (string.GetHashCode differs per process).</summary>
    private static int Fnv(string text)
    {
        uint hash = 2166136261;
        foreach (var c in text) hash = (hash ^ c) * 16777619;
        return unchecked((int)hash);
    }
}
