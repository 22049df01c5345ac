using Ouroboros.SelfRewarding;
using TorchSharp;

namespace Ouroboros.Training.SelfRewarding;

/// <summary>
/// The demonstration's M_t: a <see cref="TinyTransformer"/> checkpoint that answers prompts and
/// judges answers with <see cref="CompactJudge"/>. Its id is the checkpoint's content hash. Rows of a
/// batch are grouped by token length (the sampler continues equal-length prompts together), in a fixed
/// order, so a seed fixes every answer and judgement.
/// </summary>
public sealed class SmallLocalModel(Checkpoint checkpoint) : ISelfRewardingModel, IDisposable
{
    private readonly TinyTransformer _model = checkpoint.Load();

    public Checkpoint Checkpoint { get; } = checkpoint;
    public TinyTransformer Network => _model;
    public string Id => Checkpoint.Hash;
    public string JudgeFormat => CompactJudge.Format;

    public Task<IReadOnlyList<string>> AnswerAsync(IReadOnlyList<string> prompts, int samples, SamplingSettings sampling, long seed, CancellationToken cancellationToken)
    {
        var rows = prompts.SelectMany(p => Enumerable.Repeat(p, samples)).ToList();
        return Task.FromResult(Continue(rows, sampling, seed, cancellationToken));
    }

    public Task<IReadOnlyList<string>> JudgeAsync(IReadOnlyList<JudgedItem> items, SamplingSettings sampling, long seed, CancellationToken cancellationToken)
    {
        // One score digit then the end token: two tokens are all a judgement may take.
        var answers = Continue(items.Select(i => CompactJudge.Prefix(i.Prompt, i.Response)).ToList(), sampling with { MaxTokens = 2 }, seed, cancellationToken);
        return Task.FromResult<IReadOnlyList<string>>(answers.Select(CompactJudge.AsJudgement).ToList());
    }

    private IReadOnlyList<string> Continue(IReadOnlyList<string> rows, SamplingSettings sampling, long seed, CancellationToken cancellationToken)
    {
        var results = new string[rows.Count];
        using var generator = new torch.Generator(unchecked((ulong)seed));
        // A row the context cannot hold with room to answer gets no answer (a judgement of it then has no
        // score): an answer of stray bytes can be longer as text than it was as tokens.
        var fits = Enumerable.Range(0, rows.Count).Where(i => 1 + ByteTokenizer.Encode(rows[i]).Length < _model.Shape.Context).ToList();
        foreach (var i in Enumerable.Range(0, rows.Count).Except(fits)) results[i] = "";
        foreach (var group in fits.GroupBy(i => ByteTokenizer.Encode(rows[i]).Length).OrderBy(g => g.Key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indices = group.ToList();
            var continued = Sampler.Continue(_model, indices.Select(i => rows[i]).ToList(), sampling.MaxTokens, sampling.Temperature, sampling.TopP, generator);
            for (var k = 0; k < indices.Count; k++) results[indices[k]] = continued[k];
        }
        return results;
    }

    public void Dispose() => _model.Dispose();
}
