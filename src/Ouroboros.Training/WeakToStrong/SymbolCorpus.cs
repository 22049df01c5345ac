using System.Text;
using TorchSharp;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Setting (b)'s data for one seed. Examples are strings of <see cref="W2sOptions.SequenceLength"/> symbols
/// from <c>abcd</c>; the concept is whether a and b together outnumber c and d (the length is odd, so no ties).
/// Each size is a <see cref="TinyTransformer"/> of width 16·size, pretrained self-supervised (next-token,
/// <see cref="SupervisedFineTuning"/> with an empty prompt) on a corpus of fresh draws, never split
/// examples, in which half the documents end with <c>=1</c> or <c>=0</c> naming the concept: the corpus's
/// structure encodes it, and a model's capacity and its pretraining decide how well it learnt it. The
/// classifier then reads <c>symbols=</c>, where the pretrained model would predict that digit.
/// </summary>
public sealed class SymbolCorpus : ICellData
{
    public const string CorpusView = "corpus";
    private const string Symbols = "abcd";
    private readonly W2sOptions _options;
    private readonly int _seed;
    private readonly string[] _texts;
    private readonly int[] _truth;
    private readonly Dictionary<int, TinyTransformer> _pretrained = [];

    public SymbolCorpus(W2sOptions options, int seedIndex)
    {
        _options = options;
        _seed = LatentPopulation.SeedOf(options.Seed, seedIndex);
        var random = new Random(_seed);
        var count = new[] { options.A, options.B, options.Test }.Max(r => r.End);
        _texts = new string[count];
        _truth = new int[count];
        for (var i = 0; i < count; i++) (_texts[i], _truth[i]) = Draw(random);
        // The pretraining corpus is drawn after the examples, from the same generator, and redrawn where a string
        // is one of the examples: pretraining never sees a split's example, let alone its label.
        var examples = _texts.ToHashSet();
        var documents = new List<string>(options.PretrainDocuments);
        while (documents.Count < options.PretrainDocuments)
        {
            var (text, y) = Draw(random);
            if (examples.Contains(text)) continue;
            documents.Add(documents.Count % 2 == 0 ? $"{text}={y}" : text);
        }
        Documents = documents;
    }

    public string Setting => W2sOptions.Transformer;
    public string View => CorpusView;
    public bool Adam => true;

    /// <summary>The self-supervised pretraining documents.</summary>
    public IReadOnlyList<string> Documents { get; }

    public static int Concept(string text) => text.Count(c => c is 'a' or 'b') * 2 > text.Length ? 1 : 0;

    private (string Text, int Truth) Draw(Random random)
    {
        var text = new StringBuilder();
        for (var k = 0; k < _options.SequenceLength; k++) text.Append(Symbols[random.Next(Symbols.Length)]);
        return (text.ToString(), Concept(text.ToString()));
    }

    /// <summary>Every size reads the same tokens, <c>[begin] symbols =</c>, as the pretraining saw them: sizes differ in the model, not the view.</summary>
    public Inputs ViewOf(Split split, int size)
    {
        var range = split switch { Split.A => _options.A, Split.B => _options.B, _ => _options.Test };
        var width = _options.SequenceLength + 2;
        var features = new float[range.Count * width];
        for (var r = 0; r < range.Count; r++)
        {
            var tokens = ByteTokenizer.Encode(_texts[range.Start + r] + "=").Prepend(ByteTokenizer.Begin).ToArray();
            for (var k = 0; k < width; k++) features[r * width + k] = tokens[k];
        }
        return new Inputs(split, Enumerable.Range(range.Start, range.Count).ToArray(), features, width);
    }

    public GroundTruthSet GroundTruth(Inputs inputs) => new(inputs, inputs.Ids.Select(i => _truth[i]).ToArray());

    public TestSet Test(Inputs inputs) => new(inputs, inputs.Ids.Select(i => _truth[i]).ToArray());

    public Func<int, Classifier>? Start(int size)
    {
        var pretrained = Pretrained(size);
        return width => new TransformerClassifier(pretrained, width);
    }

    /// <summary>Size <paramref name="size"/>'s transformer, pretrained once per cell (seeded by the seed and the size).</summary>
    public TinyTransformer Pretrained(int size)
    {
        if (_pretrained.TryGetValue(size, out var model)) return model;
        torch.manual_seed(_seed * 31L + size);
        model = new TinyTransformer(new TransformerShape(Layers: 2, Width: 16 * size, Heads: 2, Context: _options.SequenceLength + 4));
        SupervisedFineTuning.Train(model, Documents.Select(d => ("", d)).ToList(), new OptimizerSettings(_options.PretrainSteps, 32, 3e-3), seed: _seed + size);
        return _pretrained[size] = model;
    }
}
