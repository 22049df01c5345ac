// Modified quadratic assignment: place n = 15 facilities on n locations, a permutation a
// (facility i goes to location a[i]). A sketch of how Solution.Algorithm is scored (the real
// utility uses more instances and fixed secret seeds; the scoring rule is the same).
public static double Utility(string solutionSource)
{
    var algorithm = CompileSolution(solutionSource); // Solution.Algorithm; a compile error scores 0
    int n = 15, nTests = 3;
    double lambda = 0.5, total = 0;
    for (int test = 0; test < nTests; test++)
    {
        double[][] f = UniformMatrix(n), d = UniformMatrix(n), p = UniformMatrix(n); // entries in [0, 1)

        // Must return a permutation of 0..n-1 within 1 second; anything else scores 0.
        int[] a = algorithm(f, d, p);
        double cost = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) cost += f[i][j] * d[a[i]][a[j]];
        for (int i = 0; i < n; i++) cost -= lambda * p[i][a[i]];

        // Lower cost is better. The score maps cost linearly onto [0, 1] between the instance's
        // largest and smallest possible costs as bounded by the rearrangement inequality, so a
        // random permutation scores about 0.5 and only a cost reaching the lower bound scores 1.
        (double lower, double upper) = CostBounds(f, d, p, lambda);
        total += (upper - cost) / (upper - lower);
    }
    return total / nTests; // in [0, 1], higher is better; running time is not scored
}
