using Ouroboros.Safety;
using Ouroboros.Sandbox;
using Ouroboros.Tasks;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Tasks;

/// <summary>Base of the task tests that run solutions: the sandbox tests' shared warm pool, and a one-line evaluation.</summary>
public abstract class SandboxTest(SandboxFixture fixture)
{
    protected ISandbox Sandbox => fixture.Pool;

    protected Task<UtilityResult> EvaluateAsync(DownstreamTask task, string solution, string split = Split.ValidationName) =>
        new UtilityEvaluator(Sandbox).EvaluateAsync(task, solution, split);
}

/// <summary>Counts the runs that reach the real sandbox, to show which calls never ran anything.</summary>
internal sealed class CountingSandbox(ISandbox inner) : ISandbox
{
    public int Runs;

    public Task<ProgramRun> RunAsync(ProgramRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Runs);
        return inner.RunAsync(request, cancellationToken);
    }
}

/// <summary>Builds small solutions for tests.</summary>
internal static class TaskTesting
{
    /// <summary>
    /// The events a task raises, without the <c>unsandboxed_fallback</c> the sandbox adds to every run
    /// on a machine without bubblewrap, so these tests mean the same with and without it.
    /// </summary>
    public static List<SafetyEvent> Reported(IEnumerable<SafetyEvent> events) =>
        events.Where(e => e.Kind != SafetyEventKinds.UnsandboxedFallback).ToList();

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
