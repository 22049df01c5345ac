using System.Text.Json;
using Ouroboros.Runs;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// The prompts of a user's run (<c>--prompts FILE</c>): one a line, either a JSON object with a
/// <c>prompt</c> string (<c>{"prompt": "..."}</c>, the shape of Self-Instruct and AlpacaEval exports) or
/// plain text. Blank lines are skipped. A missing or empty file is an options error, found before the run.
/// </summary>
public static class PromptFile
{
    public static IReadOnlyList<string> Read(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OptionsException("prompts", "is required: a file of prompts, one a line (plain, or {\"prompt\": ...})");
        if (!File.Exists(path)) throw new OptionsException("prompts", $"{path} does not exist");
        var prompts = new List<string>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0) continue;
            if (text.StartsWith('{'))
            {
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    if (doc.RootElement.TryGetProperty("prompt", out var p) && p.ValueKind == JsonValueKind.String && p.GetString()!.Trim().Length > 0)
                    {
                        prompts.Add(p.GetString()!);
                        continue;
                    }
                    throw new OptionsException("prompts", $"{path} line {number} is a JSON object without a non-empty \"prompt\" string");
                }
                catch (JsonException) { /* a plain prompt that happens to start with a brace */ }
            }
            prompts.Add(text);
        }
        if (prompts.Count == 0) throw new OptionsException("prompts", $"{path} has no prompts");
        return prompts;
    }
}
