using static TorchSharp.torch;

namespace Ouroboros.Training;

/// <summary>
/// Seeded sampling from a <see cref="TinyTransformer"/>: temperature (0 is greedy) and nucleus
/// (top-p) filtering, one token at a time until the end token, the token budget or the context is
/// reached. A batch of rows continues prompts of the same token length (the samples of one prompt,
/// or prompts that happen to be as long); every draw comes from the given generator, so a seed fixes
/// the output (for a fixed thread count).
/// </summary>
public static class Sampler
{
    /// <summary>Continues each prompt once; all prompts must have the same token length.</summary>
    public static IReadOnlyList<string> Continue(TinyTransformer model, IReadOnlyList<string> prompts, int maxTokens, double temperature, double topP, Generator generator)
    {
        var encoded = prompts.Select(p => new[] { ByteTokenizer.Begin }.Concat(ByteTokenizer.Encode(p)).Select(t => (long)t).ToArray()).ToList();
        var length = encoded[0].Length;
        if (encoded.Any(e => e.Length != length)) throw new ArgumentException("a sampled batch's prompts must have the same token length");
        var budget = Math.Min(maxTokens, model.Shape.Context - length);
        if (budget < 1) throw new ArgumentException($"a prompt of {length} tokens leaves no room in the context of {model.Shape.Context}");

        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var ids = tensor(encoded.SelectMany(e => e).ToArray(), [encoded.Count, length]);
            var finished = zeros(encoded.Count, dtype: @bool);
            // Constants as tensors, never plain numbers: see TensorAdamW on TorchSharp's temporary Scalars.
            var padding = tensor((long)ByteTokenizer.Padding);
            var end = tensor((long)ByteTokenizer.End);
            for (var step = 0; step < budget; step++)
            {
                var logits = model.forward(ids)[.., -1, ..];
                var next = Draw(logits, temperature, topP, generator);
                next = where(finished, padding, next);
                ids = cat([ids, next.unsqueeze(1)], 1);
                finished = finished.logical_or(next.eq(end));
                if (finished.all().item<bool>()) break;
            }
            var rows = ids[.., length..].data<long>().ToArray();
            var width = (int)ids.shape[1] - length;
            return Enumerable.Range(0, encoded.Count).Select(i => ByteTokenizer.Decode(rows.Skip(i * width).Take(width).Select(t => (int)t))).ToList();
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>One token per row from logits [batch, vocabulary].</summary>
    public static Tensor Draw(Tensor logits, double temperature, double topP, Generator generator)
    {
        if (temperature <= 0) return logits.argmax(-1);
        using var scope = NewDisposeScope();
        var probabilities = logits.div(tensor((float)temperature)).softmax(-1);
        if (topP < 1)
        {
            var (sorted, order) = probabilities.sort(-1, descending: true);
            // Keep the smallest prefix whose mass reaches top-p: a token is dropped when the mass before it already does.
            var before = sorted.cumsum(-1) - sorted;
            sorted = sorted.mul(before.le(tensor((float)topP)).to_type(sorted.dtype));
            probabilities = zeros_like(probabilities).scatter(-1, order, sorted);
        }
        return multinomial(probabilities, 1, generator: generator).squeeze(-1).MoveToOuterDisposeScope();
    }
}
