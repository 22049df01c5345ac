using Ouroboros.Models;
using Ouroboros.SelfRewarding;

namespace Ouroboros.Training.SelfRewarding;

/// <summary>
/// M_{t+1} = DPO(M_t; π_ref = M_t) on AIFT(M_t), for the small local model: β from the settings, a
/// frozen copy of M_t as the reference, the summed response log-probabilities. An iteration that kept
/// no pairs leaves the model as it was (M_{t+1} = M_t), and the report shows the zero.
/// </summary>
public sealed class SmallModelDpoTrainer(SmallModelSetup setup) : IPreferenceTrainer
{
    public Task<ISelfRewardingModel> TrainAsync(ISelfRewardingModel current, int iteration, IReadOnlyList<PreferencePair> pairs, long seed, CancellationToken cancellationToken)
    {
        var checkpoint = ((SmallLocalModel)current).Checkpoint;
        if (pairs.Count == 0) return Task.FromResult<ISelfRewardingModel>(new SmallLocalModel(checkpoint));
        using var policy = checkpoint.Load();
        var settings = setup.Settings;
        var steps = settings.DpoEpochs * (int)Math.Ceiling(pairs.Count / (double)settings.DpoBatchSize);
        DirectPreferenceOptimization.Train(policy, pairs.Select(p => (p.Prompt, p.Chosen, p.Rejected)).ToList(),
            new OptimizerSettings(steps, settings.DpoBatchSize, settings.DpoLearningRate), settings.Beta, unchecked((long)RequestHash.Seed(seed, "dpo", iteration)), cancellationToken);
        return Task.FromResult<ISelfRewardingModel>(new SmallLocalModel(setup.Keep(Checkpoint.Of(policy))));
    }
}
