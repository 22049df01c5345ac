using Ouroboros.Training;
using TorchSharp;

namespace Ouroboros.Training.Tests;

public class TorchRuntimeTests
{
    [Fact]
    public void Libtorch_loads_and_computes_on_this_machine()
    {
        TorchRuntime.Initialize(threads: 1);
        using var a = torch.ones(2, 3);
        Assert.Equal(6f, a.sum().item<float>());
        Assert.Equal(1, torch.get_num_threads());
    }
}
