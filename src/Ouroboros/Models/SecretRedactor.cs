using System.Text.RegularExpressions;

namespace Ouroboros.Models;

/// <summary>
/// Scrubs keys from text that leaves a provider client (error messages end up in the ledger, the
/// terminal and sandboxed code). Providers echo keys in their 401 bodies, and not always whole: a
/// proxy may echo it reversed, truncated or masked with its start and end kept (<c>sk-ab...wxyz</c>),
/// so fragments of the key are scrubbed too, not only the key itself.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "[redacted]";

    /// <summary>The shortest run of the key's first or last characters that is scrubbed on its own; shorter ones are too likely to be ordinary text.</summary>
    public const int MinFragment = 6;

    public static string Redact(string? text, string? key)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        // The local-server placeholder is no secret, and its fragments ("server") are ordinary words.
        if (!string.IsNullOrEmpty(key) && key.Length >= 4 && key != ApiKeys.LocalPlaceholder)
        {
            var reversed = new string(key.Reverse().ToArray());
            text = Masked().Replace(text, m => LooksLike(m, key) || LooksLike(m, reversed) ? Mask : m.Value);
            foreach (var fragment in Fragments(key).Concat(Fragments(reversed)).Distinct().OrderByDescending(f => f.Length))
                text = text.Replace(fragment, Mask, StringComparison.Ordinal);
        }
        return KeyLike().Replace(text, Mask);
    }

    /// <summary>The key, and every run of at least <see cref="MinFragment"/> characters from its start or its end, longest first.</summary>
    private static IEnumerable<string> Fragments(string key)
    {
        yield return key;
        for (int n = key.Length - 1; n >= MinFragment; n--)
        {
            yield return key[..n];
            yield return key[^n..];
        }
    }

    /// <summary>A masked echo, <c>start…end</c>: scrubbed when what shows of it is the key's own start or end (four characters or more).</summary>
    private static bool LooksLike(Match masked, string key)
    {
        string start = masked.Groups["start"].Value, end = masked.Groups["end"].Value;
        return (start.Length >= 4 && key.StartsWith(start, StringComparison.Ordinal)) || (end.Length >= 4 && key.EndsWith(end, StringComparison.Ordinal));
    }

    // A token with a run of dots, an ellipsis, asterisks or bullets inside: how keys are masked.
    [GeneratedRegex(@"(?<start>[^\s""'`,;:()\[\]{}<>.…*•]*)(?:\.{2,}|…|\*{2,}|•{2,})(?<end>[^\s""'`,;:()\[\]{}<>.…*•]*)")]
    private static partial Regex Masked();

    // OpenAI (sk-..., sk-proj-...) and Anthropic (sk-ant-...) keys, masked or not.
    [GeneratedRegex(@"sk-[A-Za-z0-9_\-\*]{6,}")]
    private static partial Regex KeyLike();
}
