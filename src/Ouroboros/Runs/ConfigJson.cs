using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ouroboros.Runs;

/// <summary>
/// An experiment's options as JSON: how a run's configuration is stored, and what a <c>--config</c>
/// file holds. The same names as the options record (camelCase); an unknown name or a value of the
/// wrong type is an <see cref="OptionsException"/>, so a typo never silently falls back to a default.
/// </summary>
public static class ConfigJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    /// <summary>The options as the stored configuration: every option, defaults included, so the run says exactly what it ran with.</summary>
    public static JsonObject Write(ExperimentOptions options) =>
        JsonSerializer.SerializeToNode(options, options.GetType(), Options)!.AsObject();

    /// <summary>Options of type <typeparamref name="T"/> from a configuration; absent names keep their defaults.</summary>
    public static T Read<T>(JsonObject config) where T : ExperimentOptions
    {
        var upgraded = Upgrade(config, Names<T>());
        try
        {
            return upgraded.Deserialize<T>(Options) ?? throw new OptionsException("configuration", "is empty");
        }
        catch (JsonException e)
        {
            var known = string.Join(", ", Names<T>());
            var name = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            throw e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? new OptionsException(Unmapped(e.Message) ?? "configuration", $"is not an option; the options are: {known}")
                : new OptionsException(name ?? "configuration", WrongType(e.Message));
        }
    }

    /// <summary>The complaint about a value of the wrong type, naming what the option takes rather than a .NET type.</summary>
    private static string WrongType(string message) =>
        System.Text.RegularExpressions.Regex.Match(message, @"converted to (?<type>[\w.`\[\]]+?)\.?(?:\s|$)") is { Success: true } m
            ? $"expects {ValueKinds.Describe(m.Groups["type"].Value)}"
            : "has a value of the wrong type";

    /// <summary>Reads a <c>--config</c> file: a JSON object of options.</summary>
    public static JsonObject Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException("config", $"file {path} cannot be read: {e.Message}");
        }
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new OptionsException("config", $"file {path} must hold one JSON object of options");
        }
        catch (JsonException e)
        {
            throw new OptionsException("config", $"file {path} is not valid JSON: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>The option names of <typeparamref name="T"/>, as written in a configuration.</summary>
    public static IReadOnlyList<string> Names<T>() where T : ExperimentOptions =>
        Options.GetTypeInfo(typeof(T)).Properties.Where(p => p.Set is not null).Select(p => p.Name).ToList();

    /// <summary>
    /// Configurations stored by earlier versions used other names for a few options (and a single
    /// <c>task</c> where STOP now takes a set); they are read as today's, for the options
    /// (<paramref name="names"/>) that have them. A replay's note of the run it replays is not an option.
    /// </summary>
    private static JsonObject Upgrade(JsonObject config, IReadOnlyList<string> names)
    {
        var copy = (JsonObject)config.DeepClone();
        copy.Remove("replayOf");
        Rename(copy, "runs", "metaUtilityRuns", names);
        Rename(copy, "responsesPerCall", "maxResponsesPerCall", names);
        if (names.Contains("tasks") && !names.Contains("task") && copy["task"] is JsonValue task)
        {
            copy.Remove("task");
            if (!copy.ContainsKey("tasks")) copy["tasks"] = new JsonArray(task.DeepClone());
        }
        return copy;
    }

    private static void Rename(JsonObject o, string from, string to, IReadOnlyList<string> names)
    {
        if (!names.Contains(to) || names.Contains(from) || !o.ContainsKey(from) || o.ContainsKey(to)) return;
        var value = o[from]?.DeepClone();
        o.Remove(from);
        o[to] = value;
    }

    private static string? Unmapped(string message)
    {
        int start = message.IndexOf('\'');
        int end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }

    private static string FirstSentence(string message) => message.Split(". ")[0].TrimEnd('.');
}
