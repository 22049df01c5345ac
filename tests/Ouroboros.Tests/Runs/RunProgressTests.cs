using Ouroboros.Runs;

namespace Ouroboros.Tests.Runs;

public class RunProgressTests
{
    [Fact]
    public void Evaluations_in_flight_are_counted_with_their_instances_until_they_end()
    {
        var progress = new RunProgress { Kind = "transfer" };
        var a = progress.Started("3sat", 30);
        using (var b = progress.Started("maxcut", 100))
        {
            a.InstanceDone();
            b.InstanceDone();
            b.InstanceDone();
            var (count, _, done, instances) = progress.EvaluationsInFlight;
            Assert.Equal((2, 3, 130), (count, done, instances));
        }
        Assert.Equal((1, 1, 30), (progress.EvaluationsInFlight.Count, progress.EvaluationsInFlight.InstancesDone, progress.EvaluationsInFlight.Instances));
        a.Dispose();
        Assert.Equal((0, TimeSpan.Zero, 0, 0), progress.EvaluationsInFlight);
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
        // The loop is over: no estimate, rather than an ETA of 00:00 shown through the baseline.
        Assert.Null(progress.LoopEta);
    }
}
