using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ouroboros.Tampering;

/// <summary>Who said a turn: the human (the prompt, and the shell's output returned) or the assistant.</summary>
public enum Speaker { Human, Assistant }

/// <summary>One turn of an episode.</summary>
public sealed record Turn(Speaker Speaker, string Text);

/// <summary>
/// The protocol of the released samples: <c>Human:</c> / <c>Assistant:</c> turns; the assistant
/// thinks in <c>&lt;cot&gt;…&lt;/cot&gt;</c>, runs commands in <c>&lt;bash&gt;…&lt;/bash&gt;</c>,
/// and gets their output back in <c>&lt;stdout&gt;</c> / <c>&lt;stderr&gt;</c>.
/// </summary>
public static partial class Transcript
{
    /// <summary>The commands of one assistant turn, in order.</summary>
    public static IReadOnlyList<string> Commands(string assistantTurn) =>
        Bash().Matches(assistantTurn).Select(m => m.Groups[1].Value.Trim()).Where(c => c.Length > 0).ToList();

    /// <summary>
    /// What a grader or preference model may see of an answer: everything after the last
    /// <c>&lt;/cot&gt;</c> (the reasoning is hidden from them, as in the paper), trimmed.
    /// </summary>
    public static string Visible(string answer)
    {
        int end = answer.LastIndexOf("</cot>", StringComparison.Ordinal);
        return (end < 0 ? answer : answer[(end + "</cot>".Length)..]).Trim();
    }

    /// <summary>A command's result as the assistant reads it: its output in <c>&lt;stdout&gt;</c>, its errors in <c>&lt;stderr&gt;</c>.</summary>
    public static string Output(ShellResult r)
    {
        var b = new StringBuilder();
        if (r.Stdout.Length > 0 || r.Stderr.Length == 0) b.Append("<stdout>\n").Append(r.Stdout).Append("\n</stdout>");
        if (r.Stderr.Length > 0) b.Append(b.Length > 0 ? "\n" : "").Append("<stderr>\n").Append(r.Stderr).Append("\n</stderr>");
        return b.ToString();
    }

    /// <summary>The episode in the released samples' format.</summary>
    public static string Render(IEnumerable<Turn> turns) =>
        string.Join("\n\n", turns.Select(t => $"{(t.Speaker == Speaker.Human ? "Human" : "Assistant")}: {t.Text}"));

    /// <summary>Turns as JSON (<c>[{"speaker":"human","text":…},…]</c>): what is kept of them exactly, turn by turn, where the rendered text could not be split back.</summary>
    public static string ToJson(IEnumerable<Turn> turns) => new JsonArray(turns.Select(t => (JsonNode?)new JsonObject
    {
        ["speaker"] = t.Speaker == Speaker.Human ? "human" : "assistant", ["text"] = t.Text,
    }).ToArray()).ToJsonString();

    /// <summary>The turns <see cref="ToJson"/> wrote.</summary>
    public static IReadOnlyList<Turn> FromJson(string json) => JsonNode.Parse(json)!.AsArray()
        .Select(t => new Turn((string)t!["speaker"]! == "human" ? Speaker.Human : Speaker.Assistant, (string)t["text"]!)).ToList();

    [GeneratedRegex(@"<bash>(.*?)</bash>", RegexOptions.Singleline)]
    private static partial Regex Bash();
}
