using System.Text.Json.Nodes;

namespace Ouroboros.Tasks;

/// <summary>
/// <c>string-grid-distance</c>: given a string t over "AB" and a target distance, return a string s
/// of t's length with <c>GridDist(s, t)</c> equal to the target. t and a hidden s have length
/// U{1..30}; the target is <c>GridDist(s, t)</c>, so it is always reachable. 50 validation and 50 test
/// instances, 1 s per instance (STOP's pool timeout).
/// </summary>
/// <remarks>
/// Scoring is STOP's, unchanged, because it is already in [0, 1]: 1 for the exact distance, else
/// <c>0.5 - |d - dist| / (6 len)</c>, which stays in [0, 0.5] since |d - dist| &lt;= 3 len. STOP's
/// 0.1 s "too slow" rule is dropped: time counts only through the sandbox's kill limit, so timing
/// noise never moves a score. Validation: the result must be a string of t's length over "AB"
/// (STOP's <c>grid_dist</c> asserted this and the exception scored 0 silently; here it is reported).
/// </remarks>
public sealed class StringGridDistance : IProblem
{
    public const string Id = "string-grid-distance";
    public const string Signature = "string Algorithm(string t, int dist)";
    public const int MaxLength = 30;

    public static DownstreamTask Create() => new(
        Id, Signature, TaskResources.Description(Id), TaskResources.Seed(Id),
        new SecretUtility(new StringGridDistance(), validationCount: 50, testCount: 50, TimeSpan.FromSeconds(1)));

    /// <summary>The target string t and the distance to reach, as STOP draws them.</summary>
    public static (string T, int Dist) Draw(int seed)
    {
        var random = new Random(seed);
        int length = random.Next(1, MaxLength + 1);
        string t = RandomString(random, length), s = RandomString(random, length);
        return (t, GridDist(s, t));
    }

    public ProblemInstance Generate(int seed)
    {
        var (t, dist) = Draw(seed);
        return new ProblemInstance(new JsonArray(t, dist), output => Score(t, dist, output));
    }

    public static Grade Score(string t, int dist, JsonNode output)
    {
        if (!OutputReader.TryString(output, out var s, out var violation)) return Grade.Invalid(violation);
        if (s.Length != t.Length)
            return Grade.Invalid($"expected a string of length {t.Length} (the length of t), got length {s.Length}");
        int bad = Array.FindIndex(s.ToCharArray(), c => c is not ('A' or 'B'));
        if (bad >= 0)
            return Grade.Invalid($"expected only the letters A and B, but character {bad} is '{s[bad]}'");
        int d = GridDist(s, t);
        return Grade.Valid(d == dist ? 1.0 : 0.5 - Math.Abs(d - dist) / (6.0 * t.Length));
    }

    /// <summary>STOP's grid distance: Hamming(s, t) plus the number of adjacent changes within s and within t.</summary>
    public static int GridDist(string s, string t)
    {
        if (s.Length != t.Length) throw new ArgumentException("GridDist needs strings of equal length.");
        int ans = 0;
        for (int i = 0; i < t.Length; i++) if (s[i] != t[i]) ans++;
        for (int i = 0; i + 1 < s.Length; i++) if (s[i] != s[i + 1]) ans++;
        for (int i = 0; i + 1 < t.Length; i++) if (t[i] != t[i + 1]) ans++;
        return ans;
    }

    private static string RandomString(Random random, int length) =>
        string.Concat(Enumerable.Range(0, length).Select(_ => random.Next(2) == 0 ? 'A' : 'B'));
}
