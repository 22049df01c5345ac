using System;
using System.Linq;

public static class Solution
{
    // STOP's seed: simulated annealing over random swaps (1000 iterations, T0 = 1, cooling 0.99),
    // minimising sum F[i][j] * D[a[i]][a[j]] - 0.5 * sum P[i][a[i]]. Seeded for reproducibility.
    public static int[] Algorithm(double[][] f, double[][] d, double[][] p)
    {
        int n = f.Length;
        const double lambda = 0.5;
        var random = new Random(0);

        double Objective(int[] a)
        {
            double objective = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    objective += f[i][j] * d[a[i]][a[j]];
            for (int i = 0; i < n; i++)
                objective -= lambda * p[i][a[i]];
            return objective;
        }

        var assignment = Enumerable.Range(0, n).ToArray();
        var best = (int[])assignment.Clone();
        double bestObjective = Objective(assignment);
        double temperature = 1.0;
        for (int iteration = 0; iteration < 1000; iteration++)
        {
            temperature *= 0.99;
            var candidate = (int[])assignment.Clone();
            int x = random.Next(n), y = random.Next(n);
            while (x == y) y = random.Next(n);
            (candidate[x], candidate[y]) = (candidate[y], candidate[x]);
            double candidateObjective = Objective(candidate);
            double delta = candidateObjective - Objective(assignment);
            if (delta < 0 || random.NextDouble() < Math.Exp(-delta / temperature))
            {
                assignment = candidate;
                if (candidateObjective < bestObjective)
                {
                    best = (int[])assignment.Clone();
                    bestObjective = candidateObjective;
                }
            }
        }
        return best;
    }
}
