using Ouroboros.Training.WeakToStrong;

namespace Ouroboros.Training.Tests.WeakToStrong;

/// <summary>Setting (b): the synthetic corpus, the transformer classifier, and one cell of the protocol through them.</summary>
public class TransformerSettingTests
{
    private static readonly W2sOptions Small = new()
    {
        Setting = W2sOptions.Transformer, Sizes = [1, 2, 3], Epochs = [1], GroundTruthEpochs = 1, Methods = [TransferMethod.Xent, TransferMethod.LogconfRepo],
        SplitA = "0..96", SplitB = "96..192", SplitTest = "192..320", SequenceLength = 7, PretrainSteps = 10, PretrainDocuments = 200,
    };

    [Fact]
    public void The_concept_is_whether_a_and_b_outnumber_c_and_d()
    {
        Assert.Equal(1, SymbolCorpus.Concept("aabcd"));
        Assert.Equal(0, SymbolCorpus.Concept("abccd"));
        Assert.Equal(1, SymbolCorpus.Concept("bbbdddb"));
    }

    [Fact]
    public void Pretraining_never_sees_a_split_s_example_and_half_its_documents_name_the_concept()
    {
        var corpus = new SymbolCorpus(Small, 0);
        var examples = new[] { Split.A, Split.B, Split.Test }.SelectMany(s => Texts(corpus.ViewOf(s, 1))).ToHashSet();
        Assert.DoesNotContain(corpus.Documents, d => examples.Contains(d.Split('=')[0]));
        var labelled = corpus.Documents.Where(d => d.Contains('=')).ToList();
        Assert.Equal(100, labelled.Count);
        Assert.All(labelled, d => Assert.Equal(SymbolCorpus.Concept(d[..^2]).ToString(), d[^1..]));
    }

    [Fact]
    public void Every_size_reads_the_same_tokens_and_the_head_starts_undecided()
    {
        TorchRuntime.Initialize();
        var corpus = new SymbolCorpus(Small, 1);
        var small = corpus.ViewOf(Split.B, 1);
        Assert.Equal(small.Features, corpus.ViewOf(Split.B, 3).Features);
        Assert.Equal(Small.SequenceLength + 2, small.Width);
        Assert.Equal('=', (char)small.Features[small.Width - 1]);
        var classifier = corpus.Start(2)!(small.Width);
        // The zero-initialised head: every example at one half before fine-tuning.
        Assert.All(classifier.Positive(small), p => Assert.Equal(0.5f, p));
        // The pretrained body is copied into each classifier, not shared.
        var pretrained = corpus.Pretrained(2).parameters().First();
        var copied = classifier.parameters().First();
        Assert.Equal(pretrained.data<float>().ToArray(), copied.data<float>().ToArray());
        Assert.False(ReferenceEquals(pretrained, copied));
    }

    [Fact]
    public void One_cell_trains_every_role_at_every_size()
    {
        TorchRuntime.Initialize();
        var protocol = new Protocol(Small);
        var rows = protocol.Run("t", new SymbolCorpus(Small, 0), 0, CancellationToken.None);
        Assert.Equal(protocol.RowsPerCell, rows.Count);
        Assert.All(rows, r => Assert.Equal((W2sOptions.Transformer, SymbolCorpus.CorpusView), (r.Setting, r.View)));
        Assert.All(rows, r => Assert.InRange(r.TestAccuracy, 0, 1));
        Assert.Equal([1], rows.Where(r => r.Role == W2sRow.Weak).Select(r => r.Size));
        Assert.Equal([2, 3], rows.Where(r => r.Role == W2sRow.Ceiling).Select(r => r.Size));
    }

    /// <summary>The symbols of each row: its tokens after the begin token, up to the '='.</summary>
    private static IEnumerable<string> Texts(Inputs inputs) => Enumerable.Range(0, inputs.Count)
        .Select(r => new string(inputs.Features.Skip(r * inputs.Width + 1).Take(inputs.Width - 2).Select(f => (char)f).ToArray()));
}
