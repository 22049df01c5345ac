using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Ouroboros.Tasks;

/// <summary>
/// <c>task.json</c> of a user-defined task: its id, description, signature, limits, split sizes and
/// seeds. Read strictly (unknown properties are errors, so a typo cannot silently fall back to a
/// default), and every error names the file and line.
/// </summary>
public sealed partial record TaskManifest
{
    public required string Id { get; init; }
    public required string Description { get; init; }
    public required string Signature { get; init; }
    public required int TimeLimitMs { get; init; }
    public int Budget { get; init; } = SecretUtility.DefaultBudget;
    public required ManifestSplit Validation { get; init; }
    public required ManifestSplit Test { get; init; }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses and validates the manifest text; <paramref name="path"/> is only for messages.</summary>
    public static TaskManifest Parse(string text, string path)
    {
        TaskManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<TaskManifest>(text, Options);
        }
        catch (JsonException e)
        {
            // System.Text.Json counts lines from 0; editors count from 1.
            long line = (e.LineNumber ?? 0) + 1;
            throw new TaskDefinitionException($"{path}:{line}: {Explain(e)}");
        }
        if (manifest is null) throw new TaskDefinitionException($"{path}:1: the manifest is null; it must be a JSON object.");
        manifest.Check(text, path);
        return manifest;
    }

    private void Check(string text, string path)
    {
        void Fail(string property, string message) => throw new TaskDefinitionException($"{path}:{LineOf(text, property)}: {message}");

        if (!IdPattern().IsMatch(Id)) Fail("id", $"id '{Id}' must be lowercase letters, digits and dashes, starting with a letter or digit.");
        if (string.IsNullOrWhiteSpace(Description)) Fail("description", "description is empty; say what the utility measures (it is what the model reads).");
        if (!Signature.Contains("Algorithm(", StringComparison.Ordinal)) Fail("signature", $"signature '{Signature}' must declare a method named Algorithm, e.g. \"int[] Algorithm(int[] xs)\".");
        if (TimeLimitMs is < 1 or > 600_000) Fail("timeLimitMs", $"timeLimitMs {TimeLimitMs} must be between 1 and 600000.");
        if (Budget < 1) Fail("budget", $"budget {Budget} must be at least 1.");
        Validation.Check(text, path, "validation");
        Test.Check(text, path, "test");
    }

    /// <summary>The 1-based line where <c>"property"</c> first appears, or 1 when it does not.</summary>
    internal static int LineOf(string text, string property)
    {
        int at = text.IndexOf($"\"{property}\"", StringComparison.Ordinal);
        return at < 0 ? 1 : text.AsSpan(0, at).Count('\n') + 1;
    }

    /// <summary>System.Text.Json's message, reworded for someone who writes JSON rather than .NET types.</summary>
    private static string Explain(JsonException e)
    {
        var message = e.Message;
        if (UnknownProperty().Match(message) is { Success: true } unknown)
            return $"unknown property '{unknown.Groups[1].Value}'; a manifest has id, description, signature, timeLimitMs, budget, validation and test.";
        if (MissingProperty().Match(message) is { Success: true } missing)
            return $"missing required property {missing.Groups[1].Value}.";
        if (WrongType().Match(message) is { Success: true } wrong && e.Path is { } at)
            return $"{at.TrimStart('$', '.')} must be " + wrong.Groups[1].Value.TrimEnd('.') switch
            {
                "System.String" => "a string.",
                "System.Int32" => "a whole number.",
                _ => "an object such as { \"firstSeed\": 4321, \"count\": 20 }.",
            };
        int end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    [GeneratedRegex("property '([^']+)' could not be mapped")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex("missing required properties including: (.+?)\\.?$")]
    private static partial Regex MissingProperty();

    [GeneratedRegex("could not be converted to ([\\w.]+)")]
    private static partial Regex WrongType();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();
}

/// <summary>A split as the manifest states it: the first seed and how many instances.</summary>
public sealed record ManifestSplit
{
    public required int FirstSeed { get; init; }
    public required int Count { get; init; }

    internal void Check(string text, string path, string name)
    {
        if (Count is < 1 or > 10_000)
            throw new TaskDefinitionException($"{path}:{TaskManifest.LineOf(text, name)}: {name}.count {Count} must be between 1 and 10000.");
        if (FirstSeed < 0 || FirstSeed > int.MaxValue - Count)
            throw new TaskDefinitionException($"{path}:{TaskManifest.LineOf(text, name)}: {name}.firstSeed {FirstSeed} must be non-negative and leave room for {Count} seeds.");
    }
}
