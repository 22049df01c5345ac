using Ouroboros.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ouroboros.Training.Tests;

/// <summary>DPO and the Bradley–Terry reward model.</summary>
public class PreferenceLearningTests
{
    private static readonly TransformerShape Small = new(Layers: 1, Width: 32, Heads: 2, Context: 32);

    private static (string, string, string)[] SortingPairs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var digits = Enumerable.Range(0, 4).Select(_ => random.Next(10)).ToArray();
            var sorted = string.Concat(digits.Order());
            var shuffled = string.Concat(digits.OrderBy(_ => random.Next()));
            if (shuffled == sorted) shuffled = string.Concat(digits.OrderDescending());
            return ($"sort {string.Concat(digits)}=", sorted, shuffled == sorted ? sorted + "0" : shuffled);
        }).ToArray();
    }

    [Fact]
    public void Dpo_loss_is_ln_2_when_the_policy_is_its_reference()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(1);
        using var policy = new TinyTransformer(Small);
        var history = DirectPreferenceOptimization.Train(policy, SortingPairs(16, 1), new OptimizerSettings(1, 16, 1e-3), beta: 0.1, seed: 1);
        Assert.Equal(Math.Log(2), history[0].Loss, 6);

        var lp = tensor(new[] { -3f, -1f });
        Assert.Equal(Math.Log(2), DirectPreferenceOptimization.Loss(lp, lp, lp, lp, 0.1).item<float>(), 6);
    }

    [Fact]
    public void Dpo_gradient_raises_the_chosen_over_the_rejected()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(2);
        using var policy = new TinyTransformer(Small);
        var pairs = SortingPairs(32, 2);
        double Margin()
        {
            using var noGrad = no_grad();
            using var chosen = SequenceBatch.Of(pairs.Select(p => (p.Item1, p.Item2)).ToList(), Small.Context);
            using var rejected = SequenceBatch.Of(pairs.Select(p => (p.Item1, p.Item3)).ToList(), Small.Context);
            return (SequenceLogProbs.Summed(policy, chosen) - SequenceLogProbs.Summed(policy, rejected)).mean().item<float>();
        }
        var before = Margin();
        var history = DirectPreferenceOptimization.Train(policy, pairs, new OptimizerSettings(20, 32, 1e-3), beta: 0.1, seed: 2);
        Assert.True(Margin() > before + 1, $"log π(chosen) − log π(rejected): {before:F3} → {Margin():F3}");
        Assert.True(history[^1].Loss < history[0].Loss);

        // Autograd's direction, for one step from equality: the loss's gradient is −β/2 · ∇(margin).
        var pc = tensor(new[] { -2f }, requires_grad: true);
        var pr = tensor(new[] { -2f }, requires_grad: true);
        DirectPreferenceOptimization.Loss(pc, pr, tensor(new[] { -2f }), tensor(new[] { -2f }), 0.1).backward();
        Assert.Equal(-0.05f, pc.grad!.item<float>(), 5);
        Assert.Equal(0.05f, pr.grad!.item<float>(), 5);
    }

    [Fact]
    public void Bradley_Terry_recovers_known_scores_from_synthetic_pairs()
    {
        TorchRuntime.Initialize();
        double[] truth = [-1.5, -0.5, 0, 0.7, 2.0];
        var random = new Random(3);
        var winners = new List<long>();
        var losers = new List<long>();
        for (var k = 0; k < 6000; k++)
        {
            int i = random.Next(truth.Length), j = random.Next(truth.Length);
            if (i == j) continue;
            var iWins = random.NextDouble() < 1 / (1 + Math.Exp(-(truth[i] - truth[j])));
            winners.Add(iWins ? i : j);
            losers.Add(iWins ? j : i);
        }
        var scores = new TorchSharp.Modules.Parameter(zeros(truth.Length));
        var optimizer = new TensorAdamW([scores], 0.05, weightDecay: 0);
        using var w = tensor(winners.ToArray());
        using var l = tensor(losers.ToArray());
        for (var step = 0; step < 600; step++)
        {
            optimizer.ZeroGrad();
            BradleyTerry.Loss(scores.index_select(0, w), scores.index_select(0, l)).backward();
            optimizer.Step();
        }
        var fitted = scores.detach().data<float>().ToArray();
        var shift = fitted.Average() - truth.Average();   // scores are identified only up to a constant
        for (var i = 0; i < truth.Length; i++) Assert.Equal(truth[i], fitted[i] - shift, 0.15);
    }

    [Fact]
    public void A_reward_model_learns_preferences_it_can_rank_held_out()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(4);
        using var model = new RewardModel(Small);
        var train = SortingPairs(400, 4);
        var heldOut = SortingPairs(100, 5);
        var before = model.Accuracy(heldOut);
        model.Train(train, new OptimizerSettings(150, 32, 3e-3), seed: 4);
        var after = model.Accuracy(heldOut);
        Assert.True(after >= 0.85, $"held-out pairwise accuracy {before:F2} → {after:F2}");
        // Ties count half: 1 + 1 + ½ + 0 of 4.
        Assert.Equal(0.625, BradleyTerry.PairwiseAccuracy([(1.0, 0.0), (2.0, 1.0), (0.0, 0.0), (0.0, 1.0)]), 6);
    }
}
