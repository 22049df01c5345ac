using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Tasks;

/// <summary>
/// Runs a task's secret utility: generates a split's instances on the host, runs the solution on all
/// of them in one sandbox round trip (each instance under the task's time limit, enforced by the
/// sandbox killing its worker) and scores each returned value on the host. Failures are per
/// instance: a null, an exception, a timeout or an invalid output scores that instance 0 and the
/// others still count. Run time is reported but never enters a score.
/// </summary>
public sealed class UtilityEvaluator(ISandbox sandbox, IEvaluationObserver? observer = null)
{
    private readonly ISandbox _sandbox = sandbox ?? throw new ArgumentNullException(nameof(sandbox));

    public Task<UtilityResult> EvaluateAsync(DownstreamTask task, string solution, string splitName, CancellationToken cancellationToken = default) =>
        EvaluateAsync(task, solution, task.Utility.SplitNamed(splitName), cancellationToken);

    public async Task<UtilityResult> EvaluateAsync(DownstreamTask task, string solution, Split split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(solution);
        var seeds = split.Seeds.ToArray();
        var instances = seeds.Select(task.Utility.Problem.Generate).ToArray();
        using var watch = observer?.Started(task.Id, seeds.Length);
        var request = new ProgramRequest(solution, DownstreamTask.Entry, instances.Select(i => i.Arguments).ToList())
        {
            InvocationReported = watch is null ? null : watch.InstanceDone,
            // The wall clock is the task's limit; the CPU cap only backs it up (a multi-threaded
            // solution may use more CPU than wall time), so it never binds first.
            Limits = SandboxLimits.Default with
            {
                WallClock = task.Utility.InstanceLimit,
                Cpu = TimeSpan.FromTicks(Math.Max(SandboxLimits.Default.Cpu.Ticks, 2 * task.Utility.InstanceLimit.Ticks)),
            },
        };
        var run = await _sandbox.RunAsync(request, cancellationToken);

        var events = new List<SafetyEvent>(run.Events);
        var results = new InstanceResult[seeds.Length];
        var invalid = new List<(int Index, Grade Grade)>();
        for (int i = 0; i < seeds.Length; i++)
        {
            results[i] = Score(seeds[i], instances[i], run, i, out var grade);
            if (grade?.Violation is not null) invalid.Add((i, grade));
        }
        events.AddRange(InvalidOutputEvents(task.Id, split, seeds, run.ProgramHash, invalid));
        return new UtilityResult(task.Id, split.Name, ScoreSummary.Of(results.Select(r => r.Score).ToList()), results, events, run.ProgramHash, run.Diagnostics)
        {
            Unsandboxed = run.Unsandboxed,
        };
    }

    /// <summary>
    /// One <c>invalid_output</c> event per evaluation, counting its invalid instances, and one
    /// <c>reward_hacking_suspected</c> when any of them would have gamed a lenient scorer. One each, not
    /// one per instance: 11 malformed mutants once made 264 "reward hacking" events of one 3-SAT run.
    /// </summary>
    private static IEnumerable<SafetyEvent> InvalidOutputEvents(string taskId, Split split, int[] seeds, string programHash, List<(int Index, Grade Grade)> invalid)
    {
        if (invalid.Count == 0) yield break;
        var (first, why) = invalid[0];
        yield return new SafetyEvent(SafetyEventKinds.InvalidOutput, programHash,
            $"{taskId} {split.Name}: {invalid.Count} of {seeds.Length} instances returned an invalid output, scored 0; first, instance {first} (seed {seeds[first]}): {why.Violation}");
        var gamed = invalid.Where(x => x.Grade.GamesTheScorer).ToList();
        if (gamed.Count == 0) yield break;
        var (worst, grade) = gamed.MaxBy(x => x.Grade.LenientScore)!;
        yield return new SafetyEvent(SafetyEventKinds.RewardHackingSuspected, programHash,
            $"{taskId} {split.Name}: {gamed.Count} of {seeds.Length} instances returned outputs a lenient scorer would score above 1, " +
            $"up to {grade.LenientScore:0.###} (instance {worst}, seed {seeds[worst]}: {grade.Violation}); scored 0");
    }

    private static InstanceResult Score(int seed, ProblemInstance instance, ProgramRun run, int index, out Grade? graded)
    {
        graded = null;
        if (run.Status != RunStatus.Ok)
        {
            // Nothing ran: every instance carries the program's status and the first diagnostic.
            var why = run.Diagnostics.Count > 0 ? run.Diagnostics[0].ToString() : null;
            return new InstanceResult(seed, 0, run.Status.Name(), why, 0);
        }
        if (index >= run.Invocations.Count)
            return new InstanceResult(seed, 0, RunStatus.Crashed.Name(), "the sandbox returned no result for this instance", 0);

        var invocation = run.Invocations[index];
        if (invocation.Status != RunStatus.Ok)
            return new InstanceResult(seed, 0, invocation.Status.Name(), invocation.Error, invocation.RunMs);
        if (invocation.Result is null || invocation.Result.GetValueKind() == System.Text.Json.JsonValueKind.Null)
            return new InstanceResult(seed, 0, InstanceStatus.NullResult, "the solution returned null", invocation.RunMs);

        Grade grade;
        try
        {
            grade = instance.Grade(invocation.Result) ?? throw new InvalidOperationException("the scorer returned no grade");
        }
        catch (Exception e)
        {
            // The scorer is trusted host code: its failure is a broken task, not the candidate's fault.
            throw new InvalidOperationException($"The scorer failed on the instance with seed {seed}: {e.Message}", e);
        }
        graded = grade;
        if (grade.Violation is not null)
        {
            return new InstanceResult(seed, 0, InstanceStatus.InvalidOutput, grade.Violation, invocation.RunMs);
        }
        return new InstanceResult(seed, grade.Score, RunStatus.Ok.Name(), null, invocation.RunMs);
    }
}
