namespace Ouroboros.Contracts;

/// <summary>
/// Finds fenced code blocks in a model's answer. STOP's improvers import the same helper
/// (<c>extract_code</c>): it keeps the largest block, so prose around the code is dropped.
/// </summary>
public static class CodeBlocks
{
    /// <summary>The contents of every ``` fenced block, in order; the info string (e.g. <c>csharp</c>) is dropped.</summary>
    public static IReadOnlyList<string> All(string text)
    {
        var blocks = new List<string>();
        if (string.IsNullOrEmpty(text)) return blocks;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        List<string>? current = null;
        int depth = 0;
        foreach (var line in lines)
        {
            var trimmed = line.TrimStart();
            bool fence = trimmed.StartsWith("```", StringComparison.Ordinal);
            if (current is null)
            {
                if (fence) { current = new List<string>(); depth = 1; }
                continue;
            }
            if (fence)
            {
                // A fence with an info string opens a nested block; a bare fence closes one.
                if (trimmed.Trim().Length > 3) depth++;
                else depth--;
                if (depth == 0) { blocks.Add(string.Join("\n", current)); current = null; continue; }
            }
            current.Add(line);
        }
        if (current is { Count: > 0 }) blocks.Add(string.Join("\n", current));
        return blocks;
    }

    /// <summary>The largest fenced block, or the whole text when it has none.</summary>
    public static string Largest(string text)
    {
        var blocks = All(text);
        if (blocks.Count == 0) return text ?? "";
        return blocks.OrderByDescending(b => b.Length).First();
    }
}
