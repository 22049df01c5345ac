using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Sandbox;

/// <summary>
/// Reads the JSON arguments of a capability call; anything missing or of the wrong type becomes a
/// <see cref="CapabilityFault"/> of kind <c>invalid_argument</c>, raised inside the candidate.
/// </summary>
internal static class Arguments
{
    public const string Invalid = "invalid_argument";

    public static string String(JsonArray args, int i, string name) =>
        At(args, i) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Bad(name, "a string");

    public static int Int(JsonArray args, int i, string name, int fallback) => At(args, i) switch
    {
        null => fallback,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int n) => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is var d && double.IsInteger(d) && Math.Abs(d) <= int.MaxValue => (int)d,
        _ => throw Bad(name, "an integer"),
    };

    public static double Double(JsonArray args, int i, string name, double fallback) => At(args, i) switch
    {
        null => fallback,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        _ => throw Bad(name, "a number"),
    };

    public static IReadOnlyList<string> Strings(JsonArray args, int i, string name) => At(args, i) is JsonArray a
        ? a.Select(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Bad(name, "an array of strings")).ToList()
        : throw Bad(name, "an array of strings");

    private static JsonNode? At(JsonArray args, int i) => i < args.Count ? args[i] : null;

    private static CapabilityFault Bad(string name, string what) => new(Invalid, $"argument '{name}' must be {what}.");
}
