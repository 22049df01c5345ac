using System.Text.Json;

namespace Ouroboros.Store;

/// <summary>
/// Cuts text a program produced (what it printed, what it threw) to a size in bytes of what the
/// store actually writes: the UTF-8 of the JSON-escaped string, where a control character costs six
/// bytes (<c>\u0001</c>). Counting characters let 65,536 control characters per instance become
/// 393 KB each and one improver run write ~230 MB.
/// </summary>
public static class StoredText
{
    /// <summary>What a truncated text ends with: how many stored bytes were dropped.</summary>
    public static string Marker(long droppedBytes) => $"… [truncated: {droppedBytes} bytes]";

    /// <summary>The bytes <paramref name="text"/> takes in the store, as a JSON string's contents.</summary>
    public static int Bytes(string text) => JsonEncodedText.Encode(text).EncodedUtf8Bytes.Length;

    /// <summary>
    /// <paramref name="text"/> if it takes at most <paramref name="maxBytes"/> stored bytes, else its
    /// longest prefix that, with <see cref="Marker"/> appended, does (never splitting a surrogate pair).
    /// </summary>
    public static string Bound(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 64);
        int total = Bytes(text);
        if (total <= maxBytes) return text;
        int room = maxBytes - Bytes(Marker(total));
        // The longest prefix within room: escaped size grows with length, so search for it.
        int low = 0, high = Math.Min(text.Length, room);
        while (low < high)
        {
            int mid = (low + high + 1) / 2;
            if (Bytes(Prefix(text, mid)) <= room) low = mid; else high = mid - 1;
        }
        var kept = Prefix(text, low);
        return kept + Marker(total - Bytes(kept));
    }

    private static string Prefix(string text, int length) =>
        length > 0 && length < text.Length && char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
}
