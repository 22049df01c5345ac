namespace Ouroboros.Models;

/// <summary>Which backend a <see cref="ModelSpec"/> names.</summary>
public enum ModelProvider { Offline, OpenAI, Anthropic, Scripted }

/// <summary>
/// A model as users write it on the command line and in configuration, parsed the same way
/// everywhere: <c>offline</c>, <c>openai:MODEL</c>, <c>openai:BASE_URL#MODEL</c>, <c>anthropic:MODEL</c>.
/// </summary>
public sealed record ModelSpec(ModelProvider Provider, string Model, Uri? BaseUrl = null)
{
    /// <summary>The accepted forms, for error messages and help text.</summary>
    public const string AcceptedForms =
        "offline, openai:MODEL, openai:BASE_URL#MODEL (e.g. openai:http://127.0.0.1:8000/v1#qwen2.5-coder), anthropic:MODEL, scripted:POLICY (ouro tamper only)";

    /// <summary>The name <c>offline</c> models report; it is a program-mutation model, not a language model.</summary>
    public const string OfflineModelName = "offline-mutation";

    /// <summary>Parses a spec, or throws <see cref="FormatException"/> with a one-line message listing the accepted forms.</summary>
    public static ModelSpec Parse(string? text)
    {
        if (TryParse(text, out var spec, out var error)) return spec;
        throw new FormatException(error);
    }

    /// <summary>Parses a spec; on failure <paramref name="error"/> is a one-line message listing the accepted forms.</summary>
    public static bool TryParse(string? text, out ModelSpec spec, out string error)
    {
        spec = null!;
        error = "";
        var s = (text ?? "").Trim();
        if (s == "offline")
        {
            spec = new ModelSpec(ModelProvider.Offline, OfflineModelName);
            return true;
        }
        int colon = s.IndexOf(':');
        string provider = colon < 0 ? s : s[..colon];
        string rest = colon < 0 ? "" : s[(colon + 1)..];
        switch (provider)
        {
            case "openai":
                return TryOpenAI(s, rest, out spec, out error);
            case "anthropic" when rest.Length > 0 && !rest.Contains('#') && !rest.Any(char.IsWhiteSpace):
                spec = new ModelSpec(ModelProvider.Anthropic, rest);
                return true;
            case "anthropic":
                error = Malformed(s, "anthropic takes a model name and no base URL");
                return false;
            // A scripted policy: a script that plays an experiment's episodes, never a language model.
            case "scripted" when System.Text.RegularExpressions.Regex.IsMatch(rest, "^[a-z0-9][a-z0-9-]*$"):
                spec = new ModelSpec(ModelProvider.Scripted, rest);
                return true;
            case "scripted":
                error = Malformed(s, "scripted takes a policy name such as honest or tamper-and-evade");
                return false;
            default:
                error = s.Length == 0
                    ? $"no model given; accepted forms: {AcceptedForms}."
                    : $"unknown model provider '{provider}' in '{s}'; accepted forms: {AcceptedForms}.";
                return false;
        }
    }

    private static bool TryOpenAI(string s, string rest, out ModelSpec spec, out string error)
    {
        spec = null!;
        error = "";
        int hash = rest.LastIndexOf('#');
        string model = hash < 0 ? rest : rest[(hash + 1)..];
        Uri? baseUrl = null;
        if (hash < 0 && (rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            error = Malformed(s, "a base URL needs #MODEL after it");
            return false;
        }
        if (hash >= 0)
        {
            string url = rest[..hash];
            if (!Uri.TryCreate(url, UriKind.Absolute, out baseUrl) || (baseUrl.Scheme != "http" && baseUrl.Scheme != "https"))
            {
                error = Malformed(s, $"'{url}' is not an http(s) URL");
                return false;
            }
        }
        if (model.Length == 0 || model.Any(char.IsWhiteSpace))
        {
            error = Malformed(s, "the model name is missing or has spaces");
            return false;
        }
        spec = new ModelSpec(ModelProvider.OpenAI, model, baseUrl);
        return true;
    }

    private static string Malformed(string s, string why) =>
        $"malformed model spec '{s}' ({why}); accepted forms: {AcceptedForms}.";

    /// <summary>The spec as it parses back, e.g. <c>openai:http://127.0.0.1:8000/v1#qwen</c>.</summary>
    public override string ToString() => Provider switch
    {
        ModelProvider.Offline => "offline",
        ModelProvider.Anthropic => $"anthropic:{Model}",
        ModelProvider.Scripted => $"scripted:{Model}",
        _ => BaseUrl is null ? $"openai:{Model}" : $"openai:{BaseUrl.OriginalString}#{Model}",
    };
}
