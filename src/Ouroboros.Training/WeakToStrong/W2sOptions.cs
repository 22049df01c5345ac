using Ouroboros.Runs;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Weak-to-strong generalization (<see cref="W2sExperiment"/>, docs/weak-to-strong.md): which
/// setting, which transfer methods, how many seeds, the epochs studied, the model sizes (the smallest
/// is the weak supervisor, the largest the strong student) and the three splits. Defaults are the
/// digest's scratch run of setting (a), which finishes in a few minutes on two cores.
/// </summary>
public sealed record W2sOptions : ExperimentOptions
{
    public const string KindName = "w2s";
    public const string Latent = "latent", Transformer = "transformer";

    public override string Kind => KindName;

    /// <summary>
    /// <c>latent</c>: setting (a), logistic regressions over views of a latent variable (the mechanism
    /// demonstration). <c>transformer</c>: setting (b), tiny transformers pretrained on a synthetic corpus (<see cref="SymbolCorpus"/>).
    /// </summary>
    public string Setting { get; init; } = Latent;

    /// <summary>
    /// Setting (a)'s student views of the supervisor's private noise: <c>inexpressible</c> (z only),
    /// <c>salient</c> ([z, ε]) and <c>less-salient</c> ([z, 0.3·ε]).
    /// </summary>
    public IReadOnlyList<string> Views { get; init; } = [.. LatentViews.All];

    /// <summary>Transfer methods: <c>xent</c>, <c>logconf-paper</c>, <c>logconf-repo</c> (<see cref="TransferMethod"/>).</summary>
    public IReadOnlyList<string> Methods { get; init; } = [.. TransferMethod.Names];

    /// <summary>Independent seeds: each draws its own population, splits' contents and training order.</summary>
    public int Seeds { get; init; } = 5;

    /// <summary>Epochs a student trains for, each a separate training (the α schedules follow its length): the drift toward imitation.</summary>
    public IReadOnlyList<int> Epochs { get; init; } = [5, 20, 80];

    /// <summary>Epochs of the supervisor and the ceilings on ground truth.</summary>
    public int GroundTruthEpochs { get; init; } = 20;

    /// <summary>
    /// Model sizes, ascending: the smallest is the weak supervisor, every larger one gets a student and a
    /// ceiling, the largest is the strong student, and a bootstrapping chain runs through all of them.
    /// In setting (a) a size is a rung of capability: size s sees the latent with private noise of standard
    /// deviation (max − s)/(max − min), so the smallest sees z + N(0, 1) and the largest z exactly. In setting
    /// (b) size s is a transformer of width 16·s.
    /// </summary>
    public IReadOnlyList<int> Sizes { get; init; } = [1, 2, 3];

    /// <summary>Run a bootstrapping chain through every size (needs at least three sizes).</summary>
    public bool Bootstrap { get; init; } = true;

    /// <summary>Split A: the weak supervisor's ground truth.</summary>
    public string SplitA { get; init; } = "0..2000";

    /// <summary>Split B: labelled by the supervisor for the students; its ground truth trains the ceilings.</summary>
    public string SplitB { get; init; } = "2000..4000";

    /// <summary>The test split: evaluation only, never training or selection.</summary>
    public string SplitTest { get; init; } = "4000..9000";

    /// <summary>Dimension of the latent variable z in setting (a).</summary>
    public int LatentDimension { get; init; } = 20;

    /// <summary>Minibatch size of every training (the official repository's 32).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>SGD learning rate of setting (a)'s logistic regressions.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Setting (b): Adam's learning rate when fine-tuning the pretrained transformers.</summary>
    public double FineTuneLearningRate { get; init; } = 1e-3;

    /// <summary>Setting (b): symbols per example (odd, so the concept has no ties).</summary>
    public int SequenceLength { get; init; } = 11;

    /// <summary>Setting (b): self-supervised pretraining steps of each size (batch 32, AdamW 3e-3).</summary>
    public int PretrainSteps { get; init; } = 600;

    /// <summary>Setting (b): documents in the pretraining corpus.</summary>
    public int PretrainDocuments { get; init; } = 4000;

    public SplitRange A => SplitRange.Parse(SplitA);
    public SplitRange B => SplitRange.Parse(SplitB);
    public SplitRange Test => SplitRange.Parse(SplitTest);

    public override void Validate()
    {
        base.Validate();
        if (Setting is not (Latent or Transformer)) throw new OptionsException("setting", $"is '{Setting}'; use {Latent} (setting (a)) or {Transformer} (setting (b))");
        KnownAll("views", Views, LatentViews.All);
        if (SequenceLength % 2 == 0 || SequenceLength is < 3 or > 41) throw new OptionsException("sequenceLength", $"must be odd, from 3 to 41, not {SequenceLength}");
        if (!(FineTuneLearningRate > 0 && FineTuneLearningRate <= 1)) throw new OptionsException("fineTuneLearningRate", $"must be in (0, 1], not {FineTuneLearningRate}");
        Within("pretrainSteps", PretrainSteps, 0, 1_000_000);
        Within("pretrainDocuments", PretrainDocuments, 2, 10_000_000);
        if (Setting == Transformer) Within("sizes", Sizes.Count == 0 ? 0 : Sizes[^1], 1, 32);
        KnownAll("methods", Methods, TransferMethod.Names);
        Within("seeds", Seeds, 1, 1000);
        if (Epochs.Count == 0) throw new OptionsException("epochs", "is empty; give at least one epoch count");
        foreach (var e in Epochs) Within("epochs", e, 1, 10_000);
        if (Epochs.Distinct().Count() != Epochs.Count) throw new OptionsException("epochs", $"repeats a count ({string.Join(",", Epochs)})");
        Within("groundTruthEpochs", GroundTruthEpochs, 1, 10_000);
        ValidateSizes();
        var splits = new (string Name, string Text)[] { ("splitA", SplitA), ("splitB", SplitB), ("splitTest", SplitTest) };
        var ranges = new List<(string Name, SplitRange Range)>();
        foreach (var (name, text) in splits)
        {
            if (!SplitRange.TryParse(text, out var range, out var error)) throw new OptionsException(name, error);
            if (range.Count < BatchSize) throw new OptionsException(name, $"is {range}: {range.Count} examples, fewer than one batch ({BatchSize})");
            ranges.Add((name, range));
        }
        for (var i = 0; i < ranges.Count; i++)
            for (var j = i + 1; j < ranges.Count; j++)
                if (ranges[i].Range.Overlaps(ranges[j].Range))
                    throw new OptionsException(ranges[j].Name, $"is {ranges[j].Range}, which overlaps {ranges[i].Name} ({ranges[i].Range}): the splits must be disjoint, or a model is trained or evaluated on what another saw");
        if (ranges.Max(r => r.Range.End) > 1_000_000) throw new OptionsException("splitTest", "reaches past 1,000,000 examples");
        Within("latentDimension", LatentDimension, 2, 1000);
        Within("batchSize", BatchSize, 2, 4096);
        if (!(LearningRate > 0 && LearningRate <= 10)) throw new OptionsException("learningRate", $"must be in (0, 10], not {LearningRate}");
    }

    /// <summary>Sizes ascending and distinct, at least two; a chain needs an intermediate size between weak and strong.</summary>
    private void ValidateSizes()
    {
        if (Sizes.Count < 2) throw new OptionsException("sizes", $"is {string.Join(",", Sizes)}: give at least two sizes, the weak supervisor's and the strong student's");
        for (var i = 1; i < Sizes.Count; i++)
            if (Sizes[i] <= Sizes[i - 1])
                throw new OptionsException("sizes", $"is {string.Join(",", Sizes)}: sizes must be distinct and ascending (weak first, strong last)");
        if (Sizes[0] < 1) throw new OptionsException("sizes", $"starts at {Sizes[0]}; sizes are positive");
        if (Bootstrap && Sizes.Count < 3)
            throw new OptionsException("sizes", $"is {string.Join(",", Sizes)}: a bootstrapping chain needs an intermediate size between weak and strong (three sizes at least), or bootstrap off");
    }

    private static void KnownAll(string option, IReadOnlyList<string> given, IReadOnlyList<string> known)
    {
        if (given.Count == 0) throw new OptionsException(option, $"is empty; choose from {string.Join(", ", known)}");
        foreach (var g in given)
            if (!known.Contains(g)) throw new OptionsException(option, $"names '{g}'; known: {string.Join(", ", known)}");
        if (given.Distinct().Count() != given.Count) throw new OptionsException(option, "names one twice");
    }

    /// <summary>Setting (a)'s private-noise standard deviation of a model of size <paramref name="size"/>: 1 for the smallest, 0 for the largest.</summary>
    public double NoiseOf(int size) => (double)(Sizes[^1] - size) / (Sizes[^1] - Sizes[0]);
}
