using Ouroboros.Models;
using Ouroboros.SelfRewarding;
using Ouroboros.Store;
using TorchSharp;

namespace Ouroboros.Training.SelfRewarding;

/// <summary>
/// The honest demonstration on this machine (other-systems.md §1.8): one small transformer, trained
/// here from nothing, answers <see cref="SortingTask"/> prompts and judges answers; the loop improves
/// it by DPO on its own judgements. The hidden rubric is used only for held-out evaluation and as
/// the oracle control's judge. Every random stream is named and derived from the seed, so arms of one
/// seed share their seed data, prompts and held-out set; checkpoints go to the run store.
/// </summary>
public sealed class SmallModelSetup : ISelfRewardingSetup
{
    private readonly IRunStore _store;
    private readonly string _runId;
    private readonly CheckpointTable _checkpoints;
    private readonly Dictionary<(bool, long), Checkpoint> _seedModels = [];   // the loop runs one arm at a time

    public SmallModelSetup(IRunStore store, string runId, DemoSettings settings)
    {
        _store = store;
        _runId = runId;
        Settings = settings;
        Task = new SortingTask(settings.MinDigits, settings.MaxDigits);
        _checkpoints = new CheckpointTable(store);
        Trainer = new SmallModelDpoTrainer(this);
        TorchRuntime.Initialize(settings.Threads);
    }

    public DemoSettings Settings { get; }

    /// <summary>The transformer the settings describe.</summary>
    public TransformerShape Shape => new(Settings.Layers, Settings.Width, Settings.Heads, Settings.Context);
    public SortingTask Task { get; }

    public string Description => "small local model trained on this machine (toy demonstration: sorting digits, hidden rubric)";
    public bool TrainsSeedModel => true;
    public IPreferenceTrainer Trainer { get; }
    public IRubric? Rubric => Task;

    /// <summary>A named random stream of a seed: the same name and seed give the same draws in every arm.</summary>
    public static Random Stream(long seed, string name, int index = 0) => new(unchecked((int)RequestHash.Seed(seed, name, index)));

    /// <summary>
    /// M1 by SFT from a fresh initialisation (the same for both kinds of seed data): on IFT + EFT, or on
    /// IFT only (the SFT baseline, and M1 of the no-EFT ablation). Each is trained once per seed.
    /// </summary>
    public async Task<ISelfRewardingModel> SeedModelAsync(bool withJudgeExamples, long seed, CancellationToken cancellationToken)
    {
        if (!_seedModels.TryGetValue((withJudgeExamples, seed), out var checkpoint))
        {
            var data = await SeedDataAsync(withJudgeExamples, seed, cancellationToken);
            torch.manual_seed(unchecked((long)RequestHash.Seed(seed, "init")) & long.MaxValue);
            using var model = new TinyTransformer(Shape);
            var steps = Settings.SftEpochs * (int)Math.Ceiling(data.Count / (double)Settings.SftBatchSize);
            SupervisedFineTuning.Train(model, data, new OptimizerSettings(steps, Settings.SftBatchSize, Settings.SftLearningRate), unchecked((long)RequestHash.Seed(seed, "sft", withJudgeExamples)), cancellationToken: cancellationToken);
            checkpoint = Keep(Checkpoint.Of(model));
            _seedModels[(withJudgeExamples, seed)] = checkpoint;
        }
        return new SmallLocalModel(checkpoint);
    }

    /// <summary>IFT demonstrations, and with <paramref name="withJudgeExamples"/> the EFT judge examples.</summary>
    public async Task<IReadOnlyList<(string Prompt, string Response)>> SeedDataAsync(bool withJudgeExamples, long seed, CancellationToken cancellationToken)
    {
        var data = Demonstrations(seed).ToList();
        if (withJudgeExamples) data.AddRange(await JudgeExamplesAsync(seed, cancellationToken));
        return data;
    }

    public IReadOnlyList<(string Prompt, string Response)> Demonstrations(long seed) =>
        Task.Prompts(Stream(seed, "ift"), Settings.Demonstrations).Select(p => (p, SortingTask.Solution(p))).ToList();

    /// <summary>
    /// Judge examples (the paper's EFT). As in the paper, the responses judged are the SFT baseline's own
    /// (the IFT-only model, sampled at the paper's temperature), so the judge learns on answers like the
    /// ones it will judge; a third are corrupted right answers, so low scores occur too. The target is
    /// the rubric's score, standing for the human ranking the paper's EFT was filtered by; the examples
    /// are resampled so no score has more than a sixth of them (the paper flattened its too-many 4s).
    /// </summary>
    public async Task<IReadOnlyList<(string Prompt, string Response)>> JudgeExamplesAsync(long seed, CancellationToken cancellationToken)
    {
        var random = Stream(seed, "eft");
        var prompts = Task.Prompts(random, Settings.JudgeExamples);
        using var baseline = (SmallLocalModel)await SeedModelAsync(false, seed, cancellationToken);
        var own = await baseline.AnswerAsync(prompts, 2, SamplingSettings.Paper(Settings.MaxDigits + 2), unchecked((long)RequestHash.Seed(seed, "eft answers")), cancellationToken);
        var candidates = prompts.SelectMany((p, i) => new[] { (p, own[2 * i]), (p, own[2 * i + 1]), (p, SortingTask.Corrupt(p, random)) })
            .Select(c => (Prompt: c.Item1, Response: c.Item2, Score: (int)Task.Score(c.Item1, c.Item2))).OrderBy(_ => random.Next()).ToList();
        var cap = (Settings.JudgeExamples + 5) / 6;
        var counts = new int[6];
        var examples = new List<(string, string)>();
        foreach (var (prompt, response, score) in candidates)
        {
            if (examples.Count == Settings.JudgeExamples) break;
            var example = (CompactJudge.Prefix(prompt, response), score.ToString());
            if (counts[score] >= cap || !Fits(example)) continue;
            counts[score]++;
            examples.Add(example);
        }
        return examples;
    }

    /// <summary>Whether an example fits the context with its begin and end tokens.</summary>
    private bool Fits((string Prompt, string Response) example) =>
        2 + ByteTokenizer.Encode(example.Prompt).Length + ByteTokenizer.Encode(example.Response).Length <= Settings.Context;

    public IReadOnlyList<string> Prompts(int iteration, int count, long seed) => Task.Prompts(Stream(seed, "prompts", iteration), count);

    public Task<ISelfRewardingModel> ModelAsync(string id, CancellationToken cancellationToken)
    {
        var checkpoint = _checkpoints.Get(id) ?? throw new InvalidOperationException($"checkpoint {id[..12]} is not in the run store");
        return System.Threading.Tasks.Task.FromResult<ISelfRewardingModel>(new SmallLocalModel(checkpoint));
    }

    internal Checkpoint Keep(Checkpoint checkpoint)
    {
        _checkpoints.Put(_runId, checkpoint);
        return checkpoint;
    }

    public async Task<IReadOnlyList<ModelMetric>> EvaluateAsync(ISelfRewardingModel model, long seed, CancellationToken cancellationToken)
    {
        var prompts = Task.Prompts(Stream(seed, "held-out"), Settings.HeldOutPrompts);
        var answers = await model.AnswerAsync(prompts, 1, SamplingSettings.Paper(Settings.MaxDigits + 2), unchecked((long)RequestHash.Seed(seed, "held-out answers")), cancellationToken);
        var n = prompts.Count;
        var metrics = new List<ModelMetric>
        {
            new("rubric", prompts.Zip(answers).Average(p => Task.Score(p.First, p.Second)), n),
            new("exact", prompts.Zip(answers).Average(p => p.Second == SortingTask.Solution(p.First) ? 1.0 : 0.0), n),
        };
        metrics.Add(await JudgeAgreementAsync(model, seed, cancellationToken));
        return metrics;
    }

    /// <summary>
    /// The judge's pairwise agreement with the rubric on held-out pairs of answers the rubric ranks
    /// differently: the share where the judge's averaged score (3 samples, as in the loop) orders them
    /// the same way; a tie or a missing score counts half.
    /// </summary>
    private async Task<ModelMetric> JudgeAgreementAsync(ISelfRewardingModel model, long seed, CancellationToken cancellationToken)
    {
        var random = Stream(seed, "held-out judge");
        var pairs = new List<(string Prompt, string Better, string Worse)>();
        foreach (var prompt in Task.Prompts(random, Settings.HeldOutPrompts / 2))
        {
            string a = random.NextDouble() < 0.3 ? SortingTask.Solution(prompt) : SortingTask.Corrupt(prompt, random), b = SortingTask.Corrupt(prompt, random);
            double sa = Task.Score(prompt, a), sb = Task.Score(prompt, b);
            if (sa != sb) pairs.Add(sa > sb ? (prompt, a, b) : (prompt, b, a));
        }
        var items = pairs.SelectMany(p => new[] { new JudgedItem(p.Prompt, p.Better), new JudgedItem(p.Prompt, p.Worse) }).ToList();
        var scores = new double?[items.Count][];
        for (var k = 0; k < 3; k++)
        {
            var judged = await model.JudgeAsync(items, SamplingSettings.Paper(2), unchecked((long)RequestHash.Seed(seed, "held-out judge", k)), cancellationToken);
            for (var i = 0; i < items.Count; i++) (scores[i] ??= new double?[3])[k] = ScoreParser.Parse(judged[i]);
        }
        double? Mean(double?[] s) => s.Any(v => v.HasValue) ? s.Where(v => v.HasValue).Average(v => v!.Value) : null;
        var agreement = Enumerable.Range(0, pairs.Count).Average(i =>
        {
            var (better, worse) = (Mean(scores[2 * i]), Mean(scores[2 * i + 1]));
            return better is null || worse is null || better == worse ? 0.5 : better > worse ? 1.0 : 0.0;
        });
        return new ModelMetric("judge agreement", agreement, pairs.Count);
    }
}
