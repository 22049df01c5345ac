// Weighted Max-Cut. A sketch of how Solution.Algorithm is scored (the real utility uses more
// instances and fixed secret seeds; the scoring rule is the same).
public static double Utility(string solutionSource)
{
    var algorithm = CompileSolution(solutionSource); // Solution.Algorithm; a compile error scores 0
    var random = new Random();
    int nTests = 3;
    double total = 0;
    for (int test = 0; test < nTests; test++)
    {
        int n = random.Next(50, 201);
        int[][] w = new int[n][];
        for (int i = 0; i < n; i++) w[i] = new int[n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (random.NextDouble() < 0.4) w[i][j] = w[j][i] = random.Next(1, 11);

        // Must return n sides, each 0 or 1, within 1 second; anything else scores 0.
        int[] side = algorithm(w);
        double cut = 0, all = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                all += w[i][j];
                if (side[i] != side[j]) cut += w[i][j];
            }
        total += cut / all; // the fraction of all edge weight that is cut
    }
    return total / nTests; // in [0, 1]; a random partition scores about 0.5
}
