using static TorchSharp.torch;

namespace Ouroboros.Training;

/// <summary>
/// Prompt + response sequences as one right-padded batch: token ids <c>[begin, prompt…, response…, end]</c>
/// and a mask that is 1 exactly at response tokens (and the end token), so losses and log-probabilities
/// count the response only: the prompt is masked.
/// </summary>
public sealed class SequenceBatch : IDisposable
{
    private SequenceBatch(Tensor ids, Tensor responseMask, int[] lengths)
    {
        Ids = ids;
        ResponseMask = responseMask;
        Lengths = lengths;
    }

    /// <summary>Token ids [batch, time], padded on the right.</summary>
    public Tensor Ids { get; }

    /// <summary>1 where the token is part of the response (as a prediction target), else 0; float [batch, time].</summary>
    public Tensor ResponseMask { get; }

    /// <summary>Each row's length before padding.</summary>
    public int[] Lengths { get; }

    public static SequenceBatch Of(IReadOnlyList<(string Prompt, string Response)> examples, int context)
    {
        var rows = examples.Select(e =>
        {
            var prompt = ByteTokenizer.Encode(e.Prompt);
            var response = ByteTokenizer.Encode(e.Response);
            return (Tokens: new[] { ByteTokenizer.Begin }.Concat(prompt).Concat(response).Append(ByteTokenizer.End).ToArray(), PromptLength: 1 + prompt.Length);
        }).ToList();
        var longest = rows.Max(r => r.Tokens.Length);
        if (longest > context) throw new ArgumentException($"an example of {longest} tokens does not fit the context of {context}");
        var ids = new long[rows.Count * longest];
        var mask = new float[rows.Count * longest];
        for (var i = 0; i < rows.Count; i++)
        {
            for (var t = 0; t < longest; t++)
            {
                ids[i * longest + t] = t < rows[i].Tokens.Length ? rows[i].Tokens[t] : ByteTokenizer.Padding;
                mask[i * longest + t] = t >= rows[i].PromptLength && t < rows[i].Tokens.Length ? 1f : 0f;
            }
        }
        return new SequenceBatch(tensor(ids, [rows.Count, longest]), tensor(mask, [rows.Count, longest]), rows.Select(r => r.Tokens.Length).ToArray());
    }

    public void Dispose()
    {
        Ids.Dispose();
        ResponseMask.Dispose();
    }
}
