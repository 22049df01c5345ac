// String grid distance. A sketch of how Solution.Algorithm is scored (the real utility uses more
// instances and fixed secret seeds; the scoring rule is the same).
public static double Utility(string solutionSource)
{
    var algorithm = CompileSolution(solutionSource); // Solution.Algorithm; a compile error scores 0
    var random = new Random();
    double total = 0;
    int nTests = 10;
    for (int test = 0; test < nTests; test++)
    {
        int length = random.Next(1, 31);
        string t = RandomString(random, "AB", length), s = RandomString(random, "AB", length);
        int dist = GridDist(s, t); // always reachable: s is at exactly this distance

        // Must return a string of t's length over "AB" within 1 second; anything else scores 0.
        string result = algorithm(t, dist);
        int d = GridDist(result, t);
        total += d == dist ? 1.0 : 0.5 - Math.Abs(d - dist) / (6.0 * t.Length); // in [0, 0.5] unless exact
    }
    return total / nTests; // in [0, 1]
}

public static int GridDist(string s, string t) // s and t of equal length over "AB"
{
    int ans = 0;
    for (int i = 0; i < t.Length; i++) if (s[i] != t[i]) ans++;
    for (int i = 0; i + 1 < s.Length; i++) if (s[i] != s[i + 1]) ans++;
    for (int i = 0; i + 1 < t.Length; i++) if (t[i] != t[i + 1]) ans++;
    return ans;
}
