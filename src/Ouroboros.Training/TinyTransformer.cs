using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ouroboros.Training;

/// <summary>
/// A small decoder-only transformer over <see cref="ByteTokenizer"/> tokens (GPT-2 layout: learned
/// positions, pre-norm blocks of causal self-attention and a GELU MLP, a final norm and an
/// unembedding). Sequences are right-padded, so causal attention never lets a real token see padding.
/// </summary>
public sealed class TinyTransformer : Module<Tensor, Tensor>
{
    private readonly Embedding _tokens;
    private readonly Embedding _positions;
    private readonly ModuleList<Block> _blocks;
    private readonly LayerNorm _norm;
    private readonly Linear _unembed;

    public TinyTransformer(TransformerShape shape) : base(nameof(TinyTransformer))
    {
        shape.Validate();
        Shape = shape;
        _tokens = Embedding(ByteTokenizer.VocabularySize, shape.Width);
        _positions = Embedding(shape.Context, shape.Width);
        _blocks = new ModuleList<Block>(Enumerable.Range(0, shape.Layers).Select(_ => new Block(shape)).ToArray());
        _norm = LayerNorm(shape.Width);
        _unembed = Linear(shape.Width, ByteTokenizer.VocabularySize, hasBias: false);
        RegisterComponents();
    }

    public TransformerShape Shape { get; }

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Logits [batch, time, vocabulary] for token ids [batch, time].</summary>
    public override Tensor forward(Tensor ids) => _unembed.forward(Hidden(ids));

    /// <summary>The final normed hidden states [batch, time, width] (a reward head reads these).</summary>
    public Tensor Hidden(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var length = ids.shape[1];
        if (length > Shape.Context) throw new ArgumentException($"a sequence of {length} tokens does not fit the context of {Shape.Context}");
        // Positions from an array rather than arange(length), which takes its bound as a temporary Scalar (see TensorAdamW).
        var x = _tokens.forward(ids) + _positions.forward(tensor(Enumerable.Range(0, (int)length).Select(i => (long)i).ToArray()));
        foreach (var block in _blocks) x = block.forward(x);
        return _norm.forward(x).MoveToOuterDisposeScope();
    }

    private sealed class Block : Module<Tensor, Tensor>
    {
        private readonly LayerNorm _attentionNorm, _mlpNorm;
        private readonly Linear _qkv, _projection, _expand, _contract;
        private readonly Dropout _dropout;
        private readonly int _heads;

        public Block(TransformerShape shape) : base(nameof(Block))
        {
            _heads = shape.Heads;
            _attentionNorm = LayerNorm(shape.Width);
            _qkv = Linear(shape.Width, 3 * shape.Width);
            _projection = Linear(shape.Width, shape.Width);
            _mlpNorm = LayerNorm(shape.Width);
            _expand = Linear(shape.Width, 4 * shape.Width);
            _contract = Linear(4 * shape.Width, shape.Width);
            _dropout = Dropout(shape.Dropout);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            long batch = x.shape[0], time = x.shape[1], width = x.shape[2];
            var qkv = _qkv.forward(_attentionNorm.forward(x)).view(batch, time, 3, _heads, width / _heads).permute(2, 0, 3, 1, 4);
            var attended = functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], null, 0.0, true);
            x = x + _dropout.forward(_projection.forward(attended.transpose(1, 2).reshape(batch, time, width)));
            return x + _dropout.forward(_contract.forward(functional.gelu(_expand.forward(_mlpNorm.forward(x)))));
        }
    }
}
