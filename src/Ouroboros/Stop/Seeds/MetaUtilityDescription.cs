// What the meta-utility measures. A description for reading, not code that runs: the real
// meta-utility runs in the host, with fixed seeds and held-out instances.
public static class MetaUtility
{
    static string algorithmStr;  // the task's initial solution
    static IUtility utility;     // the task's utility, with a budget of {UtilityBudget} calls
    static int uses, budget = {MetaUtilityBudget};

    /// <summary>
    /// Evaluates the improver in improveStr at improving the algorithm in algorithmStr, according to
    /// some downstream utility. This meta-utility can only be called {MetaUtilityBudget} times.
    /// </summary>
    public static double Evaluate(string improveStr)
    {
        if (uses > budget) return 0;
        uses++;
        int nTests = {Runs};
        double expectedUtility = 0;
        for (int i = 0; i < nTests; i++)
        {
            if (utility.Uses >= utility.Budget) break;
            var improver = Compile(improveStr); // must define Improver.ImproveAlgorithm
            // At most {ModelBudget} calls to the language model, and at most {MaxResponses} samples each time
            var languageModel = new LanguageModel(budget: {ModelBudget}, maxResponsesPerCall: {MaxResponses});
            var improvedAlgorithmStr = improver.ImproveAlgorithm(algorithmStr, utility, languageModel);
            expectedUtility += utility.Evaluate(improvedAlgorithmStr) / nTests;
        }
        return expectedUtility;
    }
}
