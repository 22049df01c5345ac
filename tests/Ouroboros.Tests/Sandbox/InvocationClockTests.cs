using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Sandbox;

/// <summary>What an invocation's time limit counts, and what it must not.</summary>
[Collection(SandboxCollection.Name)]
public sealed class InvocationClockTests(SandboxFixture sandbox)
{
    /// <summary>A program that counts an array, invoked <paramref name="invocations"/> times on one of <paramref name="length"/> numbers.</summary>
    private Task<ProgramRun> CountAsync(int invocations, int length, SandboxLimits limits)
    {
        var row = new JsonArray(Enumerable.Range(0, length).Select(i => (JsonNode)JsonValue.Create(i)).ToArray());
        return sandbox.Pool.RunAsync(new ProgramRequest(
            "public static class Program { public static int Run(int[] xs) => xs.Length; }", new EntryPoint("Program", "Run"),
            Enumerable.Range(0, invocations).Select(_ => new JsonArray(row.DeepClone())).ToList()) { Limits = limits });
    }

    [Fact]
    public async Task The_first_invocation_is_not_charged_for_receiving_every_invocations_arguments()
    {
        // A task sends all its instances in one frame (a hundred Max-Cut graphs are megabytes of
        // JSON). Reading and parsing these 4 million numbers takes the worker far longer than this
        // limit; the program itself takes a millisecond per call. Each call must be timed on its own.
        var run = await CountAsync(400, 10_000, new SandboxLimits { WallClock = TimeSpan.FromMilliseconds(300), MemoryMb = 2048 });
        Assert.Equal(RunStatus.Ok, run.Status);
        Assert.All(run.Invocations, i => Assert.Equal((RunStatus.Ok, 10_000), (i.Status, (int)i.Result!)));
    }

    [Fact]
    public async Task A_program_whose_arguments_a_worker_cannot_take_in_fails_once_not_once_per_worker()
    {
        // Too much for a 128 MB worker to parse: it dies before the program begins. Another worker
        // would be sent the same frame, so every invocation fails at once, with one event.
        var run = await CountAsync(20, 400_000, new SandboxLimits { MemoryMb = 128 });
        Assert.Equal(20, run.Invocations.Count);
        var status = run.Invocations[0].Status;
        Assert.Contains(status, new[] { RunStatus.MemoryLimit, RunStatus.Crashed });
        Assert.All(run.Invocations, i => Assert.Equal(status, i.Status));
        Assert.Contains("before the program began", run.Invocations[0].Error);
        Assert.Single(run.Events, e => e.Kind is SafetyEventKinds.MemoryLimit or SafetyEventKinds.Crashed);
    }
}
