public static class Improver
{
    /// <summary>Improves a solution according to a utility function.</summary>
    public static string ImproveAlgorithm(string initialSolution, IUtility utility, ILanguageModel languageModel)
    {
        var expertise = "You are an expert computer science researcher and programmer, especially skilled at optimizing algorithms.";
        var message = "Improve the following solution:\n```csharp\n" + initialSolution + "\n```\n\n"
            + "You will be evaluated based on this score function:\n```csharp\n" + utility.Description + "\n```\n\n"
            + "You must return an improved solution. Be as creative as you can under the constraints.\n"
            + "Your primary improvement must be novel and non-trivial. First, propose an idea, then implement it.";
        var nMessages = Math.Min(languageModel.MaxResponsesPerCall, utility.Budget);
        var newSolutions = languageModel.BatchPrompt(expertise, Enumerable.Repeat(message, nMessages).ToList(), 0.7);
        var candidates = newSolutions.Select(CodeBlocks.Largest).ToList();
        var bestSolution = candidates[0];
        var bestScore = double.NegativeInfinity;
        foreach (var candidate in candidates)
        {
            var score = utility.Evaluate(candidate);
            if (score > bestScore)
            {
                bestScore = score;
                bestSolution = candidate;
            }
        }
        return bestSolution;
    }
}
