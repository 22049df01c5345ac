using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// AIFT(M_t) as JSON Lines in the shape DPO trainers take (TRL's <c>DPOTrainer</c> reads
/// <c>prompt</c>/<c>chosen</c>/<c>rejected</c>; the scores and the iteration ride along):
/// <c>{"prompt", "chosen", "rejected", "score_chosen", "score_rejected", "iteration"}</c>, one pair a line.
/// </summary>
public static class AiftExport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Text as it is (no \u escapes for quotes or non-ASCII), so a person can read the file.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record Line(
        [property: JsonPropertyName("prompt")] string Prompt, [property: JsonPropertyName("chosen")] string Chosen,
        [property: JsonPropertyName("rejected")] string Rejected, [property: JsonPropertyName("score_chosen")] double ScoreChosen,
        [property: JsonPropertyName("score_rejected")] double ScoreRejected, [property: JsonPropertyName("iteration")] int Iteration);

    public static string ToJsonl(IEnumerable<PreferencePair> pairs)
    {
        var text = new StringBuilder();
        foreach (var p in pairs)
            text.Append(JsonSerializer.Serialize(new Line(p.Prompt, p.Chosen, p.Rejected, p.ScoreChosen, p.ScoreRejected, p.Iteration), Options)).Append('\n');
        return text.ToString();
    }

    /// <summary>Writes the pairs to <paramref name="path"/> (its folder created), whole or not at all: a reader never sees half a file.</summary>
    public static void Write(string path, IEnumerable<PreferencePair> pairs)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var partial = path + ".partial";
        File.WriteAllText(partial, ToJsonl(pairs), new UTF8Encoding(false));
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>The pairs of a file <see cref="Write"/> wrote; a malformed line is an <see cref="InvalidDataException"/> naming it.</summary>
    public static IReadOnlyList<PreferencePair> Read(string path)
    {
        var pairs = new List<PreferencePair>();
        int number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            Line? line;
            try { line = JsonSerializer.Deserialize<Line>(text, Options); }
            catch (JsonException e) { throw new InvalidDataException($"{path} line {number}: {e.Message}"); }
            if (line is null || line.Prompt is null || line.Chosen is null || line.Rejected is null)
                throw new InvalidDataException($"{path} line {number}: not a pair (needs prompt, chosen, rejected)");
            pairs.Add(new PreferencePair(line.Prompt, line.Chosen, line.Rejected, line.ScoreChosen, line.ScoreRejected, line.Iteration));
        }
        return pairs;
    }
}
