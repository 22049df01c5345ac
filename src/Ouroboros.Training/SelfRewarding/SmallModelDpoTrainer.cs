using Ouroboros.Models;
using Ouroboros.SelfRewarding;

namespace Ouroboros.Training.SelfRewarding;

/// <summary>
/// M_{t+1} = DPO(M_t; π_ref = M_t) on AIFT(M_t), for the small local model: β from the settings, a
/// frozen copy of M_t as the reference, the summed response log-probabilities. A pair whose two answers
/// are the same text (the loop keeps it when noisy judgements of one answer differ) has a DPO gradient of
/// exactly zero, so it is left out of the batches rather than diluting them; the pairs stored and
/// exported are all of them. An iteration with no pair of two different answers leaves the model as it
/// was (M_{t+1} = M_t).
/// </summary>
public sealed class SmallModelDpoTrainer(SmallModelSetup setup) : IPreferenceTrainer
{
    public Task<ISelfRewardingModel> TrainAsync(ISelfRewardingModel current, int iteration, IReadOnlyList<PreferencePair> pairs, long seed, CancellationToken cancellationToken)
    {
        var checkpoint = ((SmallLocalModel)current).Checkpoint;
        pairs = pairs.Where(p => p.Chosen != p.Rejected).ToList();
        if (pairs.Count == 0) return Task.FromResult<ISelfRewardingModel>(new SmallLocalModel(checkpoint));
        using var policy = checkpoint.Load();
        var settings = setup.Settings;
        var steps = settings.DpoEpochs * (int)Math.Ceiling(pairs.Count / (double)settings.DpoBatchSize);
        DirectPreferenceOptimization.Train(policy, pairs.Select(p => (p.Prompt, p.Chosen, p.Rejected)).ToList(),
            new OptimizerSettings(steps, settings.DpoBatchSize, settings.DpoLearningRate), settings.Beta, unchecked((long)RequestHash.Seed(seed, "dpo", iteration)), cancellationToken);
        return Task.FromResult<ISelfRewardingModel>(new SmallLocalModel(setup.Keep(Checkpoint.Of(policy))));
    }
}
