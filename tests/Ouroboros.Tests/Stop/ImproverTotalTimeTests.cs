using Ouroboros.Sandbox;
using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Tests.Stop;

public class ImproverTotalTimeTests
{
    private const string Slow = "improver: keeps calling";

    private static ScriptedSandbox Sandbox() => new(new Dictionary<string, Func<ImproverPlay, Task<Played>>>
    {
        // Its own compute is nothing; the host serving its calls is what takes the time.
        [Slow] = async p =>
        {
            while (true)
            {
                await p.EvaluateAsync(ScriptedSolution.Of(0.5));
                await Task.Delay(50, p.Cancellation);
            }
        },
    });

    [Fact]
    public async Task A_run_past_its_total_limit_ends_as_a_timeout_not_a_cancelled_experiment()
    {
        using var store = RunStore.InMemory();
        var options = ScriptedStop.Options(parallel: 1) with { ImproverTimeoutSeconds = 1, ImproverTotalTimeoutSeconds = 1 };
        var run = ScriptedStop.Parts(store, Sandbox(), ScriptedStop.Provider(), options);
        var utility = new Ouroboros.Tasks.UtilityCapability(ScriptedTask.Create(), run.Run.Sandbox, baseline: 0.1);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await new ImproverRunner(run).RunAsync(Slow, ScriptedSolution.Of(0.1), utility, Ouroboros.Models.CallPath.Root().Child("r1"), CancellationToken.None);

        Assert.Equal(RunStatus.Timeout, result.Status);
        Assert.Contains("improverTotalTimeoutSeconds", result.Error);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
    }

    [Fact]
    public async Task The_callers_cancellation_is_still_a_cancellation()
    {
        using var store = RunStore.InMemory();
        var options = ScriptedStop.Options(parallel: 1) with { ImproverTotalTimeoutSeconds = 60 };
        var run = ScriptedStop.Parts(store, Sandbox(), ScriptedStop.Provider(), options);
        var utility = new Ouroboros.Tasks.UtilityCapability(ScriptedTask.Create(), run.Run.Sandbox, baseline: 0.1);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new ImproverRunner(run).RunAsync(Slow, ScriptedSolution.Of(0.1), utility, Ouroboros.Models.CallPath.Root().Child("r1"), cts.Token));
    }

    [Fact]
    public void The_total_limit_may_not_be_below_the_improvers_own()
    {
        var e = Assert.Throws<Ouroboros.Runs.OptionsException>(() => (ScriptedStop.Options(1) with { ImproverTimeoutSeconds = 60, ImproverTotalTimeoutSeconds = 30 }).Validate());
        Assert.Equal("improverTotalTimeoutSeconds", e.Option);
    }
}
