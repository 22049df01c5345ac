using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Sandbox;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tasks;
using Ouroboros.Tests.Models;

namespace Ouroboros.Tests.Stop;

/// <summary>A run remembers its solution runs, so a resume never repeats one; improvers, which depend on the host's answers, always run.</summary>
public sealed class RecordedSandboxTests
{
    private static ScriptedSandbox Sandbox() => new(new Dictionary<string, Func<ImproverPlay, Task<Played>>>
    {
        [Improvers.Seed] = _ => Task.FromResult(Played.Returns(ScriptedSolution.Of(0.5))),
    });

    private static ProgramRequest Solution(string source) =>
        new(source, DownstreamTask.Entry, [new JsonArray(Split.ValidationSeed), new JsonArray(Split.TestSeed)]);

    [Fact]
    public async Task A_solution_run_is_answered_from_the_store_the_second_time()
    {
        using var store = RunStore.InMemory();
        var records = store;
        records.Journal.CreateRun("r", "stop", new JsonObject());
        records.Journal.CreateRun("other", "stop", new JsonObject());
        var inner = Sandbox();
        var request = Solution(ScriptedSolution.Of(val: 0.75, test: 0.25));

        var first = await new RecordedSandbox(inner, records.Journal, "r").RunAsync(request);
        // A new RecordedSandbox over the same store: what a resumed run builds.
        var again = await new RecordedSandbox(inner, records.Journal, "r").RunAsync(request);

        Assert.Equal(1, inner.SolutionRuns);
        Assert.Equal([0.75, 0.25], again.Invocations.Select(i => i.Result!.GetValue<double>()));
        Assert.Equal((first.ProgramHash, first.Status), (again.ProgramHash, again.Status));
        // A different program, or the same one in another run, is not answered from this run's memory.
        await new RecordedSandbox(inner, records.Journal, "r").RunAsync(Solution(ScriptedSolution.Of(0.5)));
        await new RecordedSandbox(inner, records.Journal, "other").RunAsync(request);
        Assert.Equal(3, inner.SolutionRuns);
    }

    [Fact]
    public async Task A_program_with_capabilities_always_runs()
    {
        using var store = RunStore.InMemory();
        var records = store;
        var inner = Sandbox();
        var run = ScriptedStop.Parts(records, inner, ScriptedChatClient.Fenced(), new StopOptions());
        var task = run.Tasks[0];

        for (int i = 0; i < 2; i++)
        {
            var improved = await new ImproverRunner(run).RunAsync(Improvers.Seed, task.SeedSolution, await run.UtilityAsync(task, default),
                run.Run.Path.Child("r0"), default);
            Assert.Equal(ScriptedSolution.Of(0.5), improved.Improved);
        }

        Assert.Equal(2, inner.ImproverRuns);
    }
}
