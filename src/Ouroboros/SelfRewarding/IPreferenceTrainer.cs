namespace Ouroboros.SelfRewarding;

/// <summary>
/// The loop's training step: DPO from M_t, with π_ref = M_t, on AIFT(M_t), giving M_{t+1}. Local
/// (gradient training of a small model, <c>Ouroboros.Training</c>) or a user's own trainer behind
/// <c>--trainer-command</c> (<c>TrainerCommand</c>).
/// </summary>
public interface IPreferenceTrainer
{
    /// <summary>Trains M_{iteration+1} from <paramref name="current"/> (M_iteration, also the reference) on <paramref name="pairs"/>.</summary>
    Task<ISelfRewardingModel> TrainAsync(ISelfRewardingModel current, int iteration, IReadOnlyList<PreferencePair> pairs, long seed, CancellationToken cancellationToken);
}

/// <summary>
/// One preference pair of AIFT(M_t): the highest- and lowest-scored of a prompt's candidates, with
/// their averaged judge scores. <see cref="Iteration"/> is t, the model that produced and judged it.
/// </summary>
public sealed record PreferencePair(string Prompt, string Chosen, string Rejected, double ScoreChosen, double ScoreRejected, int Iteration);
