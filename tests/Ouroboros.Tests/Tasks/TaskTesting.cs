using Ouroboros.Sandbox;
using Ouroboros.Tasks;

namespace Ouroboros.Tests.Tasks;

/// <summary>Shared by the task tests: the sandbox they run solutions in, and a one-line evaluation.</summary>
internal static class TaskTesting
{
    public static ISandbox Sandbox { get; } = new ThrowawayInProcessSandbox();

    public static Task<UtilityResult> EvaluateAsync(DownstreamTask task, string solution, string split = Split.ValidationName) =>
        new UtilityEvaluator(Sandbox).EvaluateAsync(task, solution, split);

    /// <summary>A solution returning <paramref name="body"/> from <c>Algorithm</c> with the given signature.</summary>
    public static string Solution(string signature, string body, string usings = "using System; using System.Linq; using System.Collections.Generic;") =>
        $$"""
        {{usings}}
        public static class Solution
        {
            public static {{signature}}
            {
                {{body}}
            }
        }
        """;
}
