using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Setting (a)'s model: a linear map from one view's features to two logits. Zero-initialised, as the
/// official repository initialises its classification head, so a training's only randomness is the
/// order of its minibatches (and the result does not depend on torch's global generator or on threads).
/// </summary>
public sealed class LogisticRegression : Module<Tensor, Tensor>
{
    private readonly Linear _linear;

    public LogisticRegression(int width) : base(nameof(LogisticRegression))
    {
        _linear = Linear(width, 2);
        using (no_grad())
        {
            _linear.weight!.zero_();
            _linear.bias!.zero_();
        }
        RegisterComponents();
        Width = width;
    }

    public int Width { get; }

    /// <summary>Logits [batch, 2] for features [batch, width].</summary>
    public override Tensor forward(Tensor features) => _linear.forward(features);

    /// <summary>The probability of class 1 of each example.</summary>
    public float[] Positive(Inputs inputs)
    {
        if (inputs.Width != Width) throw new ArgumentException($"the model reads {Width} features, the view has {inputs.Width}");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = forward(tensor(inputs.Features, [inputs.Count, inputs.Width]));
        return functional.softmax(logits, 1)[.., 1].data<float>().ToArray();
    }

    /// <summary>Test accuracy: the fraction of the test split whose argmax class is the true one. The test split's only use.</summary>
    public double Accuracy(TestSet test)
    {
        var p = Positive(test.Inputs);
        var right = 0;
        for (var i = 0; i < p.Length; i++) right += (p[i] > 0.5f ? 1 : 0) == test.Truth[i] ? 1 : 0;
        return (double)right / p.Length;
    }

    /// <summary>A copy of the weights and bias, for tests that compare trained models exactly.</summary>
    public float[] Parameters()
    {
        using var noGrad = no_grad();
        return _linear.weight!.flatten().data<float>().ToArray().Concat(_linear.bias!.data<float>().ToArray()).ToArray();
    }
}
