using System.Text.RegularExpressions;

namespace Ouroboros.Models;

/// <summary>
/// Scrubs keys from text that leaves a provider client (error messages end up in the ledger, the
/// terminal and sandboxed code). Providers echo keys, even partly masked ones, in their 401 bodies.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "[redacted]";

    public static string Redact(string? text, string? key)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!string.IsNullOrEmpty(key) && key.Length >= 4) text = text.Replace(key, Mask, StringComparison.Ordinal);
        return KeyLike().Replace(text, Mask);
    }

    // OpenAI (sk-..., sk-proj-...) and Anthropic (sk-ant-...) keys, masked or not.
    [GeneratedRegex(@"sk-[A-Za-z0-9_\-\*]{6,}")]
    private static partial Regex KeyLike();
}
