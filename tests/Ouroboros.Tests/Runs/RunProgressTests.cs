using Ouroboros.Runs;

namespace Ouroboros.Tests.Runs;

public class RunProgressTests
{
    [Fact]
    public void Evaluations_in_flight_are_counted_until_they_end()
    {
        var progress = new RunProgress { Kind = "transfer" };
        var a = progress.EvaluationStarted();
        using (progress.EvaluationStarted()) Assert.Equal(2, progress.EvaluationsInFlight.Count);
        Assert.Equal(1, progress.EvaluationsInFlight.Count);
        a.Dispose();
        Assert.Equal((0, TimeSpan.Zero), progress.EvaluationsInFlight);
    }

    [Fact]
    public void The_loop_eta_follows_the_iterations_done()
    {
        var progress = new RunProgress { Iterations = 3 };
        progress.StartIteration(0, "I0");
        progress.IterationDone(0, true, 0.5);
        progress.StartIteration(1, "I0 improves itself");
        Assert.Null(progress.LoopEta);
        progress.IterationDone(1, false, 0.5);
        progress.StartIteration(2, "I1 improves itself");
        Assert.NotNull(progress.LoopEta);
        Assert.Equal([0, 1], progress.History.Select(h => h.T));
        progress.IterationDone(2, true, 0.6);
        progress.IterationDone(3, true, 0.7);
        Assert.Equal(TimeSpan.Zero, progress.LoopEta);
    }
}
