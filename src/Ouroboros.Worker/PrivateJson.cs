using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Worker;

/// <summary>
/// Results written and arguments read through buffers of the worker's own, not through the
/// process-wide <see cref="ArrayPool{T}.Shared"/> that <c>SerializeToNode</c> and
/// <c>JsonNode.Deserialize</c> rent from. The policy bars programs from the shared pools; this is
/// the second line: an array a program slipped back into a pool, and still holds, must not be the
/// one a later program's result passes through. (System.Text.Json still rents small scratch
/// buffers inside, for long escaped strings; what it writes and reads is ours.)
/// </summary>
internal static class PrivateJson
{
    public static JsonNode? Serialize(object? value, Type type, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) JsonSerializer.Serialize(writer, value, type, options);
        return JsonNode.Parse(buffer.WrittenSpan);
    }

    public static object? Deserialize(JsonNode node, Type type, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) node.WriteTo(writer);
        return JsonSerializer.Deserialize(buffer.WrittenSpan, type, options);
    }
}
