using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// A binary classifier the protocol trains: two logits per example from one view's feature rows. The
/// protocol, the losses, the weak labels and the chain see only this, so setting (a)'s logistic
/// regression and setting (b)'s transformer go through the same steps.
/// </summary>
public abstract class Classifier(string name) : Module<Tensor, Tensor>(name)
{
    /// <summary>Features per example the classifier reads.</summary>
    public abstract int Width { get; }

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

    /// <summary>A copy of every parameter, flattened, for tests that compare trained models exactly.</summary>
    public float[] Parameters()
    {
        using var noGrad = no_grad();
        return parameters().SelectMany(p => p.flatten().data<float>().ToArray()).ToArray();
    }
}
