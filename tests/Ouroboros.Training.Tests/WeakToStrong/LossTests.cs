using Ouroboros.Training.WeakToStrong;
using TorchSharp;
using static TorchSharp.torch;

namespace Ouroboros.Training.Tests.WeakToStrong;

/// <summary>The transfer losses and the confidence loss's schedules, against the digest's checks (§3.7).</summary>
public class LossTests
{
    private static Tensor Logits(long seed, int batch = 16)
    {
        TorchRuntime.Initialize();
        return randn(batch, 2, generator: new Generator((ulong)seed)) * 2;
    }

    [Fact]
    public void Soft_label_cross_entropy_equals_the_standard_one_on_one_hot_targets()
    {
        using var logits = Logits(1);
        var classes = new long[] { 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0 };
        using var target = tensor(classes);
        using var standard = nn.functional.cross_entropy(logits, target);
        using var soft = SoftCrossEntropy.Loss(logits, target.to_type(float32));
        Assert.Equal(standard.item<float>(), soft.item<float>(), 5);
    }

    [Fact]
    public void Soft_targets_give_the_cross_entropy_between_distributions()
    {
        using var logits = tensor(new float[] { 0, 0, 2, -1 }, [2, 2]);
        using var soft = SoftCrossEntropy.Loss(logits, tensor(new float[] { 0.3f, 0.9f }));
        // Row 1: log 2 whatever the target; row 2: −(0.1·log p0 + 0.9·log p1) with p = softmax(2, −1).
        double p0 = Math.Exp(2) / (Math.Exp(2) + Math.Exp(-1)), p1 = 1 - p0;
        var expected = (Math.Log(2) - (0.1 * Math.Log(p0) + 0.9 * Math.Log(p1))) / 2;
        Assert.Equal(expected, soft.item<float>(), 5);
    }

    [Fact]
    public void The_confidence_loss_at_alpha_zero_is_cross_entropy_exactly()
    {
        using var logits = Logits(2);
        using var weak = rand(16, generator: new Generator(3));
        Assert.Equal(SoftCrossEntropy.Loss(logits, weak).item<float>(), ConfidenceLoss.Loss(logits, weak, 0, 0.5).item<float>());
    }

    [Theory]
    [InlineData(16, 0.5)]
    [InlineData(32, 0.5)]
    [InlineData(32, 0.37)]
    [InlineData(31, 0.62)]
    public void At_alpha_one_the_target_is_hardened_to_the_configured_balance(int batch, double balance)
    {
        using var logits = Logits(4, batch);
        using var hard = ConfidenceLoss.Hardened(logits, balance);
        var positives = hard.sum().item<float>();
        Assert.True(Math.Abs(positives - balance * batch) <= 1, $"{positives} positives of {batch} for balance {balance}");
        // The hardened positives are the student's most confident ones.
        var margin = (logits[.., 1] - logits[.., 0]).data<float>().ToArray();
        var flags = hard.data<float>().ToArray();
        Assert.True(margin.Where((_, i) => flags[i] == 1).DefaultIfEmpty(float.MaxValue).Min() >= margin.Where((_, i) => flags[i] == 0).DefaultIfEmpty(float.MinValue).Max());
        // At α = 1 the loss is cross-entropy against that hardened target alone, whatever the weak labels say.
        using var weak = rand(batch, generator: new Generator(5));
        Assert.Equal(SoftCrossEntropy.Loss(logits, hard).item<float>(), ConfidenceLoss.Loss(logits, weak, 1, balance).item<float>(), 5);
    }

    [Fact]
    public void The_mixed_target_is_the_paper_s_weighted_sum_of_two_cross_entropies()
    {
        using var logits = Logits(6);
        using var weak = rand(16, generator: new Generator(7));
        using var hard = ConfidenceLoss.Hardened(logits, 0.5);
        var paper = 0.7 * SoftCrossEntropy.Loss(logits, weak).item<float>() + 0.3 * SoftCrossEntropy.Loss(logits, hard).item<float>();
        Assert.Equal(paper, ConfidenceLoss.Loss(logits, weak, 0.3, 0.5).item<float>(), 5);
    }

    [Fact]
    public void No_gradient_flows_through_the_hardened_target()
    {
        using var logits = Logits(8).requires_grad_();
        using var weak = rand(16, generator: new Generator(9));
        ConfidenceLoss.Loss(logits, weak, 0.6, 0.5).backward();
        using var expected = logits.detach().clone().requires_grad_();
        using var target = 0.4 * weak + 0.6 * ConfidenceLoss.Hardened(expected.detach(), 0.5);
        SoftCrossEntropy.Loss(expected, target).backward();
        Assert.True(logits.grad!.allclose(expected.grad!, 1e-6, 1e-6));
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0, 0.0)]
    [InlineData(0.05, 0.1875, 0.125, 0.025)]
    [InlineData(0.1, 0.375, 0.25, 0.05)]
    [InlineData(0.2, 0.75, 0.5, 0.5)]
    [InlineData(0.5, 0.75, 0.5, 0.5)]
    public void Both_schedules_at_the_documented_fractions(double frac, double paperLargest, double paperOther, double repository)
    {
        Assert.Equal(paperLargest, AlphaSchedule.Paper(frac, AlphaSchedule.PaperMaximum(largestStudent: true)), 12);
        Assert.Equal(paperOther, AlphaSchedule.Paper(frac, AlphaSchedule.PaperMaximum(largestStudent: false)), 12);
        Assert.Equal(repository, AlphaSchedule.Repository(frac), 12);
        Assert.Equal(paperLargest, new TransferMethod(TransferMethod.LogconfPaper).Alpha(frac, largestStudent: true), 12);
        Assert.Equal(repository, new TransferMethod(TransferMethod.LogconfRepo).Alpha(frac, largestStudent: true), 12);
        Assert.Equal(0, new TransferMethod(TransferMethod.Xent).Alpha(frac, largestStudent: true));
    }

    [Fact]
    public void The_repository_schedule_jumps_after_a_tenth_of_training()
    {
        Assert.Equal(0.05, AlphaSchedule.Repository(0.1), 12);
        Assert.Equal(0.5, AlphaSchedule.Repository(0.1000001), 12);
        Assert.Equal(0.5, new TransferMethod(TransferMethod.LogconfRepo).PositiveFraction(0.5));
        Assert.Equal(0.3, new TransferMethod(TransferMethod.LogconfRepo).PositiveFraction(0.3));
        Assert.Equal(0.5, new TransferMethod(TransferMethod.LogconfPaper).PositiveFraction(0.3));
    }
}
