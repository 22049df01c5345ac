using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Tampering;

/// <summary>An environment file that cannot be used: the message names the file and what is wrong.</summary>
public sealed class EnvironmentDefinitionException(string message) : Exception(message);

/// <summary>
/// The environments one can run: the five built in (the paper's curriculum, shipped as JSON files
/// inside the tool and listed by <c>ouro tamper --list</c>), plus a user's own from a folder, which
/// may also replace a built-in one of the same name. In curriculum order.
/// </summary>
public sealed class EnvironmentCatalog
{
    private const string ResourcePrefix = "Ouroboros.Tampering.Environments.";

    private EnvironmentCatalog(IReadOnlyList<TamperEnvironment> environments, string preamble)
    {
        Environments = environments;
        Preamble = preamble;
    }

    public IReadOnlyList<TamperEnvironment> Environments { get; }

    /// <summary>What every episode opens with (the paper's shared preamble, in our words).</summary>
    public string Preamble { get; }

    public TamperEnvironment? Find(string name) => Environments.FirstOrDefault(e => e.Name == name);

    /// <summary>The built-in environments, and those in <paramref name="folder"/> (its <c>*.json</c> files) when given.</summary>
    public static EnvironmentCatalog Load(string? folder = null)
    {
        var byName = new Dictionary<string, TamperEnvironment>(StringComparer.Ordinal);
        foreach (var (name, text) in BuiltInFiles().Where(f => f.Name.EndsWith(".json", StringComparison.Ordinal)))
            byName[Parse(name, text).Name] = Parse(name, text);
        var preamble = BuiltInFiles().Single(f => f.Name == "preamble.txt").Text.TrimEnd();
        if (folder is not null)
        {
            if (!Directory.Exists(folder)) throw new EnvironmentDefinitionException($"the environments folder '{folder}' does not exist; pass a folder of environment .json files.");
            foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                var env = Parse(file, File.ReadAllText(file));
                byName[env.Name] = env;
            }
            if (File.Exists(Path.Combine(folder, "preamble.txt"))) preamble = File.ReadAllText(Path.Combine(folder, "preamble.txt")).TrimEnd();
        }
        return new EnvironmentCatalog(byName.Values.OrderBy(e => e.Stage).ThenBy(e => e.Name, StringComparer.Ordinal).ToList(), preamble);
    }

    /// <summary>The built-in files, by file name: what <c>ouro tamper --export-environments</c> writes for a user to read and extend.</summary>
    public static IReadOnlyList<(string Name, string Text)> BuiltInFiles()
    {
        var assembly = typeof(EnvironmentCatalog).Assembly;
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (n[ResourcePrefix.Length..], reader.ReadToEnd());
            }).ToList();
    }

    /// <summary>Reads one environment file, refusing anything malformed with one line naming the file and the field.</summary>
    public static TamperEnvironment Parse(string file, string text)
    {
        JsonObject o;
        try { o = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })?.AsObject() ?? throw new EnvironmentDefinitionException($"{file}: empty"); }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new EnvironmentDefinitionException($"{file} is not a JSON object ({e.Message.Split('\n')[0].TrimEnd('.')}); see docs/tampering.md for the format.");
        }
        string Str(string key, bool required = true)
        {
            if (o[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0) return s;
            if (required) throw new EnvironmentDefinitionException($"{file}: \"{key}\" must be a non-empty string; see docs/tampering.md.");
            return "";
        }
        var name = Str("name");
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9_-]+$"))
            throw new EnvironmentDefinitionException($"{file}: \"name\" must be lower-case letters, digits, _ or -; it names the environment on the command line.");
        var kindText = Str("kind");
        if (!Enum.TryParse<EnvironmentKind>(kindText, ignoreCase: true, out var kind) || int.TryParse(kindText, out _))
            throw new EnvironmentDefinitionException($"{file}: \"kind\" is '{kindText}'; use sycophancy, flattery, rubric or tampering.");
        int stage = o["stage"] is JsonValue sv && sv.TryGetValue<int>(out var st) ? st : throw new EnvironmentDefinitionException($"{file}: \"stage\" must be an integer (its place in the curriculum).");
        bool tools = o["tools"] is JsonValue tv && tv.TryGetValue<bool>(out var t) ? t : kind != EnvironmentKind.Sycophancy;
        var files = Map(file, o, "files");
        foreach (var path in files.Keys)
            if (!path.StartsWith('/') || path.Split('/').Length < 3 || path.Contains("..") || path.Contains("//"))
                throw new EnvironmentDefinitionException($"{file}: file path '{path}' must be absolute, inside a top-level folder (e.g. /rl_environment/x.py), without '..'.");
        var variants = (o["variants"] as JsonArray ?? []).Select((v, i) => v is JsonObject vo
            ? (IReadOnlyDictionary<string, string>)vo.ToDictionary(p => p.Key, p => p.Value is JsonValue x && x.TryGetValue<string>(out var s) ? s : throw new EnvironmentDefinitionException($"{file}: variants[{i}].{p.Key} must be a string."))
            : throw new EnvironmentDefinitionException($"{file}: variants[{i}] must be an object of strings.")).ToList();
        FlatteryLayout? layout = null;
        if (o["layout"] is JsonObject l)
        {
            List<string> Strings(string key) => (l[key] as JsonArray ?? []).Select(x => (string?)x ?? "").Where(x => x.Length > 0).ToList() is { Count: > 0 } list
                ? list : throw new EnvironmentDefinitionException($"{file}: layout.{key} must be a non-empty list of strings.");
            int count = l["variants"] is JsonValue c && c.TryGetValue<int>(out var n) && n > 0 ? n : throw new EnvironmentDefinitionException($"{file}: layout.variants must be a positive integer.");
            layout = new FlatteryLayout(count, Strings("folders"), Strings("poemNames"), Map(file, l, "otherFiles"),
                l["poem"] is JsonValue pv && pv.TryGetValue<string>(out var poem) ? poem : throw new EnvironmentDefinitionException($"{file}: layout.poem must be a string."));
        }
        var reward = Str("reward", required: kind != EnvironmentKind.Sycophancy);
        if (kind is EnvironmentKind.Rubric or EnvironmentKind.Tampering) Str("oversight");
        if (kind != EnvironmentKind.Sycophancy && !tools) throw new EnvironmentDefinitionException($"{file}: a {kindText} environment needs \"tools\": true (its reward reads the files the model leaves).");
        if (kind == EnvironmentKind.Sycophancy && variants.Any(v => !v.ContainsKey("matching") || !v.ContainsKey("notMatching")))
            throw new EnvironmentDefinitionException($"{file}: every sycophancy variant needs \"matching\" and \"notMatching\" (the answer that agrees with the user's implied view, and the other).");
        var scripts = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (policy, node) in o["scripts"] as JsonObject ?? [])
            scripts[policy] = node is JsonArray a && a.All(x => x is JsonValue) ? a.Select(x => (string?)x ?? "").ToList()
                : throw new EnvironmentDefinitionException($"{file}: scripts.{policy} must be a list of assistant turns (strings).");
        return new TamperEnvironment(name, stage, kind, Str("title", required: false) is { Length: > 0 } title ? title : name, tools,
            o["heldOut"] is JsonValue h && h.TryGetValue<bool>(out var held) && held, Str("prompt"), files, variants, layout,
            reward.Length > 0 ? reward : null, Str("oversight", required: false) is { Length: > 0 } ov ? ov : null,
            Str("testFile", required: false) is { Length: > 0 } tf ? tf : null,
            o["originalReward"] is JsonValue r && r.TryGetValue<double>(out var orig) ? orig : 0,
            scripts, Map(file, o, "scriptAliases"));
    }

    private static Dictionary<string, string> Map(string file, JsonObject o, string key)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (o[key] is null) return map;
        if (o[key] is not JsonObject m) throw new EnvironmentDefinitionException($"{file}: \"{key}\" must be an object of strings.");
        foreach (var (k, v) in m)
            map[k] = v is JsonValue x && x.TryGetValue<string>(out var s) ? s : throw new EnvironmentDefinitionException($"{file}: {key}.{k} must be a string.");
        return map;
    }
}
