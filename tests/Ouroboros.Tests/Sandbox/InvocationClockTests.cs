using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Sandbox;

/// <summary>What an invocation's time limit counts, and what it must not.</summary>
[Collection(SandboxCollection.Name)]
public sealed class InvocationClockTests(SandboxFixture sandbox)
{
    /// <summary>A program that counts an array, invoked on each of <paramref name="lengths"/> (arrays of that many numbers).</summary>
    private Task<ProgramRun> CountAsync(IEnumerable<int> lengths, SandboxLimits limits) =>
        sandbox.Pool.RunAsync(new ProgramRequest(
            "public static class Program { public static int Run(int[] xs) => xs.Length; }", new EntryPoint("Program", "Run"),
            lengths.Select(n => new JsonArray(new JsonArray(Enumerable.Range(0, n).Select(i => (JsonNode)JsonValue.Create(i)).ToArray()))).ToList())
        { Limits = limits });

    [Fact]
    public async Task The_first_invocation_is_not_charged_for_receiving_every_invocations_arguments()
    {
        // A task sends all its instances in one frame (a hundred Max-Cut graphs are megabytes of
        // JSON). Reading and parsing the four million numbers behind the first, small, invocation
        // takes the worker far longer than its limit (about 1 s); counting three numbers takes
        // well under a millisecond. It must be timed on its own. (Only the first is asserted: on a
        // loaded two-core machine any one of many calls may meet a stall longer than the limit.)
        var run = await CountAsync([3, .. Enumerable.Repeat(100_000, 40)], new SandboxLimits { WallClock = TimeSpan.FromMilliseconds(300), MemoryMb = 2048 });
        Assert.Equal(RunStatus.Ok, run.Status);
        Assert.Equal((RunStatus.Ok, 3), (run.Invocations[0].Status, (int)run.Invocations[0].Result!));
    }

    [Fact]
    public async Task A_program_whose_arguments_a_worker_cannot_take_in_fails_once_not_once_per_worker()
    {
        // Too much for a 128 MB worker to parse: it dies before the program begins. Another worker
        // would be sent the same frame, so every invocation fails at once; the inputs are the cause,
        // so no event names the program.
        var run = await CountAsync(Enumerable.Repeat(400_000, 20), new SandboxLimits { MemoryMb = 128 });
        Assert.Equal(20, run.Invocations.Count);
        var status = run.Invocations[0].Status;
        Assert.Contains(status, new[] { RunStatus.MemoryLimit, RunStatus.Crashed });
        Assert.All(run.Invocations, i => Assert.Equal(status, i.Status));
        Assert.Contains("before the program began", run.Invocations[0].Error);
        Assert.DoesNotContain(run.Events, e => e.ProgramHash == run.ProgramHash);
    }
}
