using System.Globalization;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// One of the protocol's three splits as a half-open range of example indices in the seed's
/// population, written <c>start..end</c>: A (the supervisor's ground truth), B (the supervisor labels
/// it; the student learns its weak labels, the ceiling its ground truth) and test (evaluation only).
/// </summary>
public readonly record struct SplitRange(int Start, int End)
{
    public int Count => End - Start;

    public bool Contains(int index) => index >= Start && index < End;

    public bool Overlaps(SplitRange other) => Start < other.End && other.Start < End;

    public override string ToString() => $"{Start}..{End}";

    /// <summary>Reads <c>start..end</c> (0 ≤ start &lt; end); false with the reason otherwise.</summary>
    public static bool TryParse(string text, out SplitRange range, out string error)
    {
        range = default;
        var parts = text.Split("..");
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            error = $"is '{text}', not a range start..end of example indices (e.g. 0..2000)";
            return false;
        }
        if (end <= start)
        {
            error = $"is '{text}', an empty range: its end must be past its start";
            return false;
        }
        range = new SplitRange(start, end);
        error = "";
        return true;
    }

    public static SplitRange Parse(string text) => TryParse(text, out var range, out var error) ? range : throw new FormatException($"split {error}");
}
