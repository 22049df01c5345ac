using Ouroboros.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ouroboros.Training.Tests;

public class TensorAdamWTests
{
    [Fact]
    public void It_takes_the_steps_torchs_AdamW_takes()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(3);
        var start = randn(4, 3);
        var target = randn(4, 3);
        var ours = new TorchSharp.Modules.Parameter(start.clone());
        var theirs = new TorchSharp.Modules.Parameter(start.clone());
        var mine = new TensorAdamW([ours], 0.01, weightDecay: 0.1);
        // A handful of steps of the library's own AdamW (whose temporary Scalars are why ours exists).
        var reference = optim.AdamW([theirs], 0.01, weight_decay: 0.1);
        for (var step = 0; step < 5; step++)
        {
            mine.ZeroGrad();
            (ours - target).pow(2).sum().backward();
            mine.Step();
            reference.zero_grad();
            (theirs - target).pow(2).sum().backward();
            reference.step();
        }
        Assert.True((ours - theirs).abs().max().item<float>() < 1e-6, "TensorAdamW left the library's AdamW path");
        Assert.True((ours - start).abs().max().item<float>() > 1e-3, "the parameters moved");
    }
}
