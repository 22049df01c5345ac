namespace Ouroboros.Models;

/// <summary>
/// Finds a provider's key in the environment before a run starts, so a missing key fails at once
/// and names the variable. The key itself never leaves the provider client: not in logs, the store,
/// errors or a sandbox.
/// </summary>
public static class ApiKeys
{
    /// <summary>
    /// Sent to a loopback OpenAI-compatible server (vLLM, Ollama, llama.cpp, <c>ouro serve-model</c>)
    /// when no key is set: such servers run without authentication and ignore the header, while the
    /// SDK insists on some credential.
    /// </summary>
    public const string LocalPlaceholder = "no-key-needed-for-local-server";

    /// <summary>The variable a provider reads unless configuration names another.</summary>
    public static string DefaultVariable(ModelProvider provider) => provider switch
    {
        ModelProvider.OpenAI => "OPENAI_API_KEY",
        ModelProvider.Anthropic => "ANTHROPIC_API_KEY",
        _ => "",
    };

    /// <summary>
    /// The key for <paramref name="spec"/>, or null for the offline model. Throws
    /// <see cref="ModelConfigurationException"/> naming the variable when it is unset.
    /// </summary>
    public static string? Resolve(ModelSpec spec, string? variable = null, Func<string, string?>? environment = null)
    {
        if (spec.Provider is ModelProvider.Offline or ModelProvider.Scripted) return null;
        environment ??= Environment.GetEnvironmentVariable;
        var name = string.IsNullOrWhiteSpace(variable) ? DefaultVariable(spec.Provider) : variable.Trim();
        var key = environment(name);
        if (!string.IsNullOrWhiteSpace(key)) return key.Trim();
        if (spec.Provider == ModelProvider.OpenAI && spec.BaseUrl is { IsLoopback: true }) return LocalPlaceholder;
        throw new ModelConfigurationException(
            $"model {spec} needs an API key: set the environment variable {name} (or name another variable in the configuration).");
    }
}

/// <summary>A model that cannot be set up as configured (missing key, bad option); raised before a run starts.</summary>
public sealed class ModelConfigurationException(string message) : Exception(message);
