using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Setting (b)'s model: a copy of a pretrained <see cref="TinyTransformer"/> with a bias-free,
/// zero-initialised linear head on the last token's hidden state, as the official repository's head
/// (every input has the same length, so the last position is the last real token). Features are token
/// ids stored as floats (exact below 2^24), so the protocol's <see cref="Inputs"/> carry text too.
/// </summary>
public sealed class TransformerClassifier : Classifier
{
    private readonly TinyTransformer _body;
    private readonly Linear _head;
    private readonly int _width;

    public TransformerClassifier(TinyTransformer pretrained, int width) : base(nameof(TransformerClassifier))
    {
        _width = width;
        _body = new TinyTransformer(pretrained.Shape);
        _body.load_state_dict(pretrained.state_dict());
        _head = Linear(pretrained.Shape.Width, 2, hasBias: false);
        using (no_grad()) _head.weight!.zero_();
        RegisterComponents();
        // Dropout off during fine-tuning, as the repository trains in eval mode.
        eval();
    }

    public override int Width => _width;

    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var hidden = _body.Hidden(features.to_type(int64));
        return _head.forward(hidden.select(1, hidden.shape[1] - 1)).MoveToOuterDisposeScope();
    }
}
