using Ouroboros.Runs;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// What a Self-Rewarding run is run against: where M1 comes from, how M_{t+1} is trained, the fixed
/// prompt generator, and (for the demonstration only) the hidden evaluation. A user's chat model
/// with <c>--trainer-command</c> is one setup (in the engine); the small local model trained on
/// this machine is another (<c>Ouroboros.Training</c>). The loop itself does not know which.
/// </summary>
public interface ISelfRewardingSetup
{
    /// <summary>What this setup is, for the report: e.g. "chat model + trainer command", "small local model (demonstration)".</summary>
    string Description { get; }

    /// <summary>
    /// M1: the model after supervised fine-tuning on the seed data. <paramref name="withJudgeExamples"/>
    /// false is the paper's no-EFT ablation (IFT only). A setup whose M1 is given (a user's served
    /// model) returns it whatever is asked, and says so through <see cref="TrainsSeedModel"/>.
    /// </summary>
    Task<ISelfRewardingModel> SeedModelAsync(bool withJudgeExamples, long seed, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="SeedModelAsync"/> trains M1 here (so the no-EFT control means something).</summary>
    bool TrainsSeedModel { get; }

    /// <summary>The training step M_t → M_{t+1}.</summary>
    IPreferenceTrainer Trainer { get; }

    /// <summary>The new prompts of iteration t (the paper's fixed prompt generator), the same for every arm of a seed.</summary>
    IReadOnlyList<string> Prompts(int iteration, int count, long seed);

    /// <summary>
    /// The hidden rubric as a judge (the oracle control), or null when there is none. It is used to
    /// judge only in the oracle arm, and to evaluate only through <see cref="EvaluateAsync"/>.
    /// </summary>
    IRubric? Rubric { get; }

    /// <summary>
    /// A model this setup made before, back from its <see cref="ISelfRewardingModel.Id"/>: a resumed run
    /// goes on from the last finished iteration's model without training it again.
    /// </summary>
    Task<ISelfRewardingModel> ModelAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Called once by the experiment before the loop starts, with the run's context: a setup whose
    /// models call the run's model pipeline (metered, recorded, seeded by position) takes it from here.
    /// A setup that needs nothing of the run ignores it.
    /// </summary>
    void Attach(RunContext run) { }

    /// <summary>Held-out evaluation of a model (demonstration only; empty for a user's model).</summary>
    Task<IReadOnlyList<ModelMetric>> EvaluateAsync(ISelfRewardingModel model, long seed, CancellationToken cancellationToken);
}

/// <summary>A hidden additive 0–5 rubric: the ground truth the model never sees.</summary>
public interface IRubric
{
    double Score(string prompt, string response);
}

/// <summary>One held-out measurement of a model: its name (e.g. <c>rubric</c>, <c>exact</c>), the mean over n items.</summary>
public sealed record ModelMetric(string Name, double Value, int N);
