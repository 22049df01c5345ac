using Ouroboros.Runs;
using Ouroboros.SelfRewarding;

namespace Ouroboros.Tests.SelfRewarding;

/// <summary>
/// A model whose answers and judgements are functions of what it is asked: answer k to a prompt is
/// "{prompt}:{k}" padded by (seed + k) mod 5 dots; a judgement scores a response by its dots, or says
/// nothing parseable for an empty one. Its id records its training: "m1+t1+t2".
/// </summary>
internal sealed class FakeModel(string id) : ISelfRewardingModel
{
    public string Id => id;
    public string JudgeFormat => "fake";
    public int JudgeCalls;

    public Task<IReadOnlyList<string>> AnswerAsync(IReadOnlyList<string> prompts, int samples, SamplingSettings sampling, long seed, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(prompts.SelectMany(p => Enumerable.Range(0, samples).Select(k => $"{p}:{k}" + new string('.', (int)((seed + k) % 5)))).ToList());

    public Task<IReadOnlyList<string>> JudgeAsync(IReadOnlyList<JudgedItem> items, SamplingSettings sampling, long seed, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref JudgeCalls);
        return Task.FromResult<IReadOnlyList<string>>(items.Select(i => $"Looks fine. Score: {i.Response.Count(c => c == '.')}").ToList());
    }
}

/// <summary>A setup over <see cref="FakeModel"/>: the trainer appends to the id and counts its calls; the rubric counts dots backwards; evaluation reads training from the id.</summary>
internal sealed class FakeSetup : ISelfRewardingSetup, IPreferenceTrainer, IRubric
{
    public readonly List<(string Model, int Iteration, int Pairs)> Trained = [];
    public Func<int, bool> FailAt { get; set; } = _ => false;

    public string Description => "fake";
    public bool TrainsSeedModel => true;
    public IPreferenceTrainer Trainer => this;
    public IRubric? Rubric => this;

    public Task<ISelfRewardingModel> SeedModelAsync(bool withJudgeExamples, long seed, CancellationToken cancellationToken) =>
        Task.FromResult<ISelfRewardingModel>(new FakeModel(withJudgeExamples ? "m1" : "m1-noeft"));

    public Task<ISelfRewardingModel> ModelAsync(string id, CancellationToken cancellationToken) => Task.FromResult<ISelfRewardingModel>(new FakeModel(id));

    public IReadOnlyList<string> Prompts(int iteration, int count, long seed) => Enumerable.Range(0, count).Select(i => $"t{iteration}q{i}").ToList();

    public double Score(string prompt, string response) => 4 - response.Count(c => c == '.');

    public Task<IReadOnlyList<ModelMetric>> EvaluateAsync(ISelfRewardingModel model, long seed, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ModelMetric>>([new ModelMetric("rubric", model.Id.Count(c => c == '+') + (seed % 7) / 100.0, 10)]);

    public Task<ISelfRewardingModel> TrainAsync(ISelfRewardingModel current, int iteration, IReadOnlyList<PreferencePair> pairs, long seed, CancellationToken cancellationToken)
    {
        if (FailAt(iteration)) throw new TrainerFailedException(iteration, "the fake trainer was told to fail");
        lock (Trained) Trained.Add((current.Id, iteration, pairs.Count));
        return Task.FromResult<ISelfRewardingModel>(new FakeModel($"{current.Id}+t{iteration}"));
    }
}
