using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Setting (a)'s model: a linear map from one view's features to two logits. Zero-initialised, as the
/// official repository initialises its classification head, so a training's only randomness is the
/// order of its minibatches (and the result does not depend on torch's global generator or on threads).
/// </summary>
public sealed class LogisticRegression : Classifier
{
    private readonly Linear _linear;
    private readonly int _width;

    public LogisticRegression(int width) : base(nameof(LogisticRegression))
    {
        _width = width;
        _linear = Linear(width, 2);
        using (no_grad())
        {
            _linear.weight!.zero_();
            _linear.bias!.zero_();
        }
        RegisterComponents();
    }

    public override int Width => _width;

    /// <summary>Logits [batch, 2] for features [batch, width].</summary>
    public override Tensor forward(Tensor features) => _linear.forward(features);
}
