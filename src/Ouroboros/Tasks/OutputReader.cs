using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Tasks;

/// <summary>
/// Strict readers for returned values: exactly the type, length and value range the contract names,
/// nothing coerced. Coercion is how STOP's LPN scorer was fooled (a (20, 1) array broadcast against
/// (20,) labels scored ~1000%), so a nested array, a bool for an int, a float for an int, an extra
/// element or an out-of-range label is a violation, never "close enough". Public so that
/// user-defined problems can validate the same way.
/// </summary>
public static class OutputReader
{
    /// <summary>Reads a JSON array of exactly <paramref name="length"/> integers in [min, max].</summary>
    public static bool TryIntArray(JsonNode node, int length, int min, int max,
        [NotNullWhen(true)] out int[]? values, [NotNullWhen(false)] out string? violation)
    {
        values = null;
        if (!TryArray(node, length, $"integers in [{min}, {max}]", out var array, out violation)) return false;
        var read = new int[length];
        for (int i = 0; i < length; i++)
        {
            var element = array[i];
            if (element is null || element.GetValueKind() != JsonValueKind.Number || !element.AsValue().TryGetValue(out int value))
            {
                violation = $"expected {length} integers in [{min}, {max}], but element {i} is {Describe(element)}";
                return false;
            }
            if (value < min || value > max)
            {
                violation = $"expected {length} integers in [{min}, {max}], but element {i} is {value}";
                return false;
            }
            read[i] = value;
        }
        values = read;
        return true;
    }

    /// <summary>Reads a JSON array of exactly <paramref name="length"/> booleans.</summary>
    public static bool TryBoolArray(JsonNode node, int length,
        [NotNullWhen(true)] out bool[]? values, [NotNullWhen(false)] out string? violation)
    {
        values = null;
        if (!TryArray(node, length, "booleans", out var array, out violation)) return false;
        var read = new bool[length];
        for (int i = 0; i < length; i++)
        {
            var kind = array[i]?.GetValueKind();
            if (kind is not (JsonValueKind.True or JsonValueKind.False))
            {
                violation = $"expected {length} booleans, but element {i} is {Describe(array[i])}";
                return false;
            }
            read[i] = kind == JsonValueKind.True;
        }
        values = read;
        return true;
    }

    /// <summary>Reads a JSON string.</summary>
    public static bool TryString(JsonNode node, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? violation)
    {
        value = null;
        violation = null;
        if (node.GetValueKind() != JsonValueKind.String)
        {
            violation = $"expected a string, got {Describe(node)}";
            return false;
        }
        value = node.GetValue<string>();
        return true;
    }

    private static bool TryArray(JsonNode node, int length, string what,
        [NotNullWhen(true)] out JsonArray? array, [NotNullWhen(false)] out string? violation)
    {
        array = null;
        violation = null;
        if (node is not JsonArray a)
        {
            violation = $"expected an array of {length} {what}, got {Describe(node)}";
            return false;
        }
        if (a.Count != length)
        {
            violation = $"expected an array of {length} {what}, got {a.Count} elements";
            return false;
        }
        array = a;
        return true;
    }

    /// <summary>
    /// The accuracy a lenient scorer would give <paramref name="output"/> as predictions of
    /// <paramref name="labels"/>, or null when no lenient reading applies. Two readings, the higher
    /// wins: NumPy's <c>(predictions == labels).sum() / len(labels)</c>, which broadcasts a (k, 1)
    /// array against (m,) labels and compares every prediction with every label (STOP's ~1000%); and
    /// matches counted over every prediction returned, the labels repeated, when more were returned than
    /// asked. Numbers and booleans are coerced as NumPy would. Above 1 means the output games such a
    /// scorer (<see cref="Grade.GamesTheScorer"/>).
    /// </summary>
    public static double? LenientAccuracy(JsonNode output, IReadOnlyList<int> labels)
    {
        if (output is not JsonArray predictions || labels.Count == 0) return null;
        int m = labels.Count;
        long matches = 0;
        if (predictions.Count > 0 && predictions.All(p => p is JsonArray))
        {
            foreach (var row in predictions.Cast<JsonArray>())
            {
                if (row.Count != 1 && row.Count != m) return null; // NumPy could not broadcast it
                for (int j = 0; j < row.Count; j++)
                {
                    if (!TryLenientNumber(row[j], out var p)) return null;
                    matches += row.Count == 1 ? labels.Count(l => l == p) : (labels[j] == p ? 1 : 0);
                }
            }
            return (double)matches / m;
        }
        for (int i = 0; i < predictions.Count; i++)
        {
            if (!TryLenientNumber(predictions[i], out var p)) return null;
            if (labels[i % m] == p) matches++;
        }
        return (double)matches / m;
    }

    private static bool TryLenientNumber(JsonNode? node, out double value)
    {
        value = 0;
        switch (node?.GetValueKind())
        {
            case JsonValueKind.Number: value = node.GetValue<double>(); return true;
            case JsonValueKind.True: value = 1; return true;
            case JsonValueKind.False: return true;
            default: return false;
        }
    }

    /// <summary>A short description of a JSON value for a violation message, e.g. <c>an array of 1</c> or <c>the number 2.5</c>.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray a => $"an array of {a.Count}",
        JsonObject => "an object",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => $"the string {Truncate(node.ToJsonString())}",
            JsonValueKind.Number => $"the number {Truncate(node.ToJsonString())}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {node.ToJsonString()}",
            _ => Truncate(node.ToJsonString()),
        },
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
