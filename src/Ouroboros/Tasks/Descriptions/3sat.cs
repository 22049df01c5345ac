// Random 3-SAT with a planted solution. A sketch of how Solution.Algorithm is scored (the real
// utility uses more instances and fixed secret seeds; the scoring rule is the same).
public static double Utility(string solutionSource)
{
    var algorithm = CompileSolution(solutionSource); // Solution.Algorithm; a compile error scores 0
    var random = new Random();
    int nTests = 10, solved = 0;
    for (int test = 0; test < nTests; test++)
    {
        int n = random.Next(5, 51), m = 4 * n;
        // m clauses of 3 distinct variables, each literal +v or -v; every formula is satisfiable.
        int[][] formula = PlantedFormula(random, n, m);

        // Must return n + 1 booleans within 1 second: assignment[v] is the value of variable v,
        // assignment[0] is unused. null, a wrong length or any unsatisfied clause scores 0.
        bool[] assignment = algorithm(formula, n);
        if (formula.All(clause => clause.Any(lit => assignment[Math.Abs(lit)] == (lit > 0)))) solved++;
    }
    return (double)solved / nTests; // the fraction of formulas solved, in [0, 1]
}
