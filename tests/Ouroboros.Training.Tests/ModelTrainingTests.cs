using Ouroboros.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ouroboros.Training.Tests;

/// <summary>The transformer, its log-probabilities, sampling, SFT and checkpoints.</summary>
public class ModelTrainingTests
{
    private static readonly TransformerShape Small = new(Layers: 1, Width: 32, Heads: 2, Context: 32);

    private static TinyTransformer Fresh(long seed)
    {
        TorchRuntime.Initialize();
        torch.manual_seed(seed);
        return new TinyTransformer(Small);
    }

    private static readonly (string, string)[] Reversals =
        Enumerable.Range(0, 200).Select(i => { var s = $"{i % 7}{i % 5}{i % 3}"; return ($"rev {s}=", new string(s.Reverse().ToArray())); }).ToArray();

    [Fact]
    public void Summed_log_probabilities_count_the_response_tokens_only()
    {
        using var model = Fresh(1);
        using var noGrad = no_grad();
        using var a = SequenceBatch.Of([("abc", "xy")], Small.Context);
        using var b = SequenceBatch.Of([("abd", "xy")], Small.Context);
        // The mask marks the two response tokens and the end token.
        Assert.Equal(3f, a.ResponseMask.sum().item<float>());
        var perToken = SequenceLogProbs.PerToken(model, a);
        var logits = model.forward(a.Ids).log_softmax(-1);
        var manual = 0.0;
        var ids = a.Ids.data<long>().ToArray();
        for (var t = 4; t < ids.Length; t++) manual += logits[0, t - 1, ids[t]].item<float>();
        Assert.Equal(manual, SequenceLogProbs.Summed(model, a).item<float>(), 4);
        Assert.Equal(0f, perToken[0, ..3].abs().sum().item<float>());
        // The prompt conditions the response but is not scored.
        Assert.NotEqual(SequenceLogProbs.Summed(model, a).item<float>(), SequenceLogProbs.Summed(model, b).item<float>());
    }

    [Fact]
    public void Padding_a_row_does_not_change_its_log_probability()
    {
        using var model = Fresh(2);
        using var noGrad = no_grad();
        using var alone = SequenceBatch.Of([("rev 12=", "21")], Small.Context);
        using var padded = SequenceBatch.Of([("rev 12=", "21"), ("rev 123456=", "654321")], Small.Context);
        Assert.Equal(SequenceLogProbs.Summed(model, alone).item<float>(), SequenceLogProbs.Summed(model, padded)[0].item<float>(), 4);
    }

    [Fact]
    public void Fine_tuning_learns_the_demonstrations_and_is_reproducible()
    {
        using var model = Fresh(3);
        var losses = SupervisedFineTuning.Train(model, Reversals, new OptimizerSettings(250, 32, 3e-3), seed: 7);
        Assert.True(losses[^1] < losses[0] / 4, $"loss {losses[0]:F3} → {losses[^1]:F3}");
        var greedy = Sampler.Continue(model, ["rev 412=", "rev 630="], 8, temperature: 0, topP: 1, new Generator(1));
        Assert.Equal(["214", "036"], greedy);

        using var again = Fresh(3);
        SupervisedFineTuning.Train(again, Reversals, new OptimizerSettings(250, 32, 3e-3), seed: 7);
        Assert.Equal(Checkpoint.Of(model).Hash, Checkpoint.Of(again).Hash);
    }

    [Fact]
    public void Sampling_is_fixed_by_its_seed_and_varies_with_it()
    {
        using var model = Fresh(4);
        string[] prompts = ["rev 1=", "rev 2=", "rev 3=", "rev 4="];
        var first = Sampler.Continue(model, prompts, 10, 1.0, 0.9, new Generator(5).manual_seed(11));
        var same = Sampler.Continue(model, prompts, 10, 1.0, 0.9, new Generator(5).manual_seed(11));
        var other = Sampler.Continue(model, prompts, 10, 1.0, 0.9, new Generator(5).manual_seed(12));
        Assert.Equal(first, same);
        Assert.NotEqual(first, other);
        Assert.Throws<ArgumentException>(() => Sampler.Continue(model, ["a", "abc"], 4, 1, 1, new Generator(1)));
    }

    [Fact]
    public void Top_p_keeps_the_smallest_prefix_that_reaches_p()
    {
        TorchRuntime.Initialize();
        using var logits = tensor(new[] { 0.5f, 0.3f, 0.15f, 0.05f }).log().unsqueeze(0);
        var seen = new HashSet<long>();
        var generator = new Generator(3).manual_seed(3);
        for (var i = 0; i < 300; i++) seen.Add(Sampler.Draw(logits, 1.0, 0.7, generator).item<long>());
        Assert.Equal([0L, 1L], seen.Order());
        Assert.Equal(0L, Sampler.Draw(logits, 0, 1, generator).item<long>());
    }

    [Fact]
    public void A_checkpoint_restores_the_same_function_under_the_same_hash()
    {
        using var model = Fresh(5);
        var checkpoint = Checkpoint.Of(model);
        using var restored = checkpoint.Load();
        Assert.Equal(checkpoint.Hash, Checkpoint.Of(restored).Hash);
        using var noGrad = no_grad();
        using var batch = SequenceBatch.Of([("rev 12=", "21")], Small.Context);
        Assert.Equal(SequenceLogProbs.Summed(model, batch).item<float>(), SequenceLogProbs.Summed(restored, batch).item<float>());
        Assert.Throws<ArgumentException>(() => SequenceBatch.Of([(new string('x', 40), "y")], Small.Context));
    }
}
