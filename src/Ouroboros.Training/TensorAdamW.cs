using static TorchSharp.torch;

namespace Ouroboros.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter: Adam with decoupled weight decay; β = 0.9, 0.999, ε = 1e-8), written
/// with tensor-by-tensor operations only. TorchSharp 0.107's own optimizers, and any arithmetic with a
/// plain number, pass libtorch a temporary <c>Scalar</c> that nothing keeps alive during the native call:
/// its finalizer can free it while libtorch still reads it. We saw that as intermittent failed
/// <c>toFloat</c> checks in <c>optim.Adam.step</c>, <c>optim.SGD.step</c> and <c>1 - t</c>. Every
/// constant here is a tensor, held for the whole step.
/// </summary>
public sealed class TensorAdamW
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly List<(Tensor Parameter, Tensor First, Tensor Second)> _state;
    private readonly double _rate, _weightDecay;
    private int _step;

    public TensorAdamW(IEnumerable<Tensor> parameters, double learningRate, double weightDecay = 0.01)
    {
        _rate = learningRate;
        _weightDecay = weightDecay;
        _state = parameters.Where(p => p.requires_grad).Select(p => (p, zeros_like(p), zeros_like(p))).ToList();
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var (p, _, _) in _state) p.grad?.zero_();
    }

    /// <summary>One update from the parameters' gradients.</summary>
    public void Step()
    {
        _step++;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // Subtractions of negated constants: Tensor.add_ takes an alpha that becomes a temporary Scalar; sub_ takes none.
        var keep1 = Constant(Beta1);
        var negativeTake1 = Constant(-(1 - Beta1));
        var keep2 = Constant(Beta2);
        var negativeTake2 = Constant(-(1 - Beta2));
        var correct1 = Constant(1 / (1 - Math.Pow(Beta1, _step)));
        var correct2 = Constant(1 / (1 - Math.Pow(Beta2, _step)));
        var negativeEpsilon = Constant(-Epsilon);
        var rate = Constant(_rate);
        var decay = Constant(1 - _rate * _weightDecay);
        foreach (var (p, m, v) in _state)
        {
            if (p.grad is not { } g) continue;
            p.mul_(decay);                                   // decoupled weight decay: θ ← θ(1 − ηλ)
            m.mul_(keep1).sub_(g.mul(negativeTake1));        // m ← β1·m + (1 − β1)·g
            v.mul_(keep2).sub_(g.mul(g).mul(negativeTake2)); // v ← β2·v + (1 − β2)·g²
            var denominator = v.mul(correct2).sqrt().sub(negativeEpsilon);
            p.sub_(m.mul(correct1).div(denominator).mul(rate));
        }
    }

    private static Tensor Constant(double value) => tensor((float)value);
}
