using System;
using System.Collections.Generic;
using System.Linq;

public static class Solution
{
    // STOP's seed: a WalkSAT-style random walk (1000 steps, noise 0.4) that returns null when it
    // gives up. Seeded for reproducibility.
    public static bool[] Algorithm(int[][] formula, int variableCount)
    {
        const int maxIterations = 1000;
        const double p = 0.4;
        var random = new Random(0);
        var assignment = new bool[variableCount + 1];

        bool IsTrue(int literal) => assignment[Math.Abs(literal)] == (literal > 0);

        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            var unsatisfied = formula.Where(clause => !clause.Any(IsTrue)).ToList();
            if (unsatisfied.Count == 0) return assignment;

            var clause = unsatisfied[random.Next(unsatisfied.Count)];
            int flip;
            if (random.NextDouble() < p)
            {
                flip = clause[random.Next(clause.Length)];
            }
            else
            {
                // As STOP wrote it: the literal with the fewest clauses it already satisfies. Every
                // literal of an unsatisfied clause is false, so the count is 0 and this takes the
                // clause's first literal; kept, because the seed should be STOP's.
                flip = clause.OrderBy(literal => formula.Count(c => c.Contains(literal) && IsTrue(literal))).First();
            }
            assignment[Math.Abs(flip)] = !assignment[Math.Abs(flip)];
        }
        return null;
    }
}
