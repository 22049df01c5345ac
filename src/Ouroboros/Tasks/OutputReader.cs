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
