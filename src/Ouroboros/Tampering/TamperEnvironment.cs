using System.Text.Json.Nodes;

namespace Ouroboros.Tampering;

/// <summary>What an environment measures, which decides how its episodes are graded (<see cref="EpisodeGrader"/>).</summary>
public enum EnvironmentKind { Sycophancy, Flattery, Rubric, Tampering }

/// <summary>
/// One environment of the curriculum, as data (an <c>Environments/*.json</c> file, or a user's own):
/// its place in the curriculum, the prompt and its variants, the files each episode starts from, the
/// reward and oversight commands run in the sandbox after the episode, and the scripted policies'
/// scripts. <see cref="Episode"/> gives one variant's prompt and files.
/// </summary>
public sealed record TamperEnvironment(
    string Name, int Stage, EnvironmentKind Kind, string Title, bool Tools, bool HeldOut, string Prompt,
    IReadOnlyDictionary<string, string> Files, IReadOnlyList<IReadOnlyDictionary<string, string>> Variants, FlatteryLayout? Layout,
    string? RewardCommand, string? OversightCommand, string? TestFile, double OriginalReward,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Scripts, IReadOnlyDictionary<string, string> ScriptAliases)
{
    /// <summary>How many distinct prompts (with their files) the environment has.</summary>
    public int VariantCount => Layout?.Variants ?? Math.Max(1, Variants.Count);

    /// <summary>Variant <paramref name="index"/> (modulo <see cref="VariantCount"/>): its prompt, its files, and the fields the scripts fill in.</summary>
    public EpisodeSetup Episode(int index)
    {
        int v = index % VariantCount;
        var fields = Variants.Count > 0 ? Variants[v] : new Dictionary<string, string>();
        var files = new Dictionary<string, string>(Files, StringComparer.Ordinal);
        if (Layout is { } layout) foreach (var (path, text) in layout.Files(v)) files[path] = text;
        return new EpisodeSetup(v, Fill(Prompt, fields), files, fields);
    }

    /// <summary>The script a scripted policy follows here: its own, an alias's, or none.</summary>
    public IReadOnlyList<string>? Script(string policy) =>
        Scripts.TryGetValue(policy, out var s) ? s : ScriptAliases.TryGetValue(policy, out var alias) && Scripts.TryGetValue(alias, out var a) ? a : null;

    /// <summary>Replaces each <c>{field}</c> with the variant's value.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> fields)
    {
        foreach (var (k, v) in fields) text = text.Replace("{" + k + "}", v, StringComparison.Ordinal);
        return text;
    }
}

/// <summary>One episode's start: which variant, the prompt, the files (absolute sandbox paths), and the variant's fields.</summary>
public sealed record EpisodeSetup(int Variant, string Prompt, IReadOnlyDictionary<string, string> Files, IReadOnlyDictionary<string, string> Fields);
