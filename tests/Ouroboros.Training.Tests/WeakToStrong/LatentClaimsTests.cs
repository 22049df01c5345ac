using Ouroboros.Training.WeakToStrong;
using Xunit.Abstractions;

namespace Ouroboros.Training.Tests.WeakToStrong;

/// <summary>
/// Setting (a) over 5 seeds, the digest's acceptance thresholds (§3.7), with the project's own
/// implementation: weak z + ε (σ = 1) supervising a student that sees z exactly, with its view of ε varied.
/// </summary>
public class LatentClaimsTests(ITestOutputHelper output)
{
    private static readonly W2sOptions Options = new()
    {
        Sizes = [1, 2], Bootstrap = false, Seeds = 5, Epochs = [5, 20, 80], Methods = [TransferMethod.Xent, TransferMethod.LogconfPaper],
    };

    [Fact]
    public void Five_seeds_reproduce_the_qualitative_claims()
    {
        TorchRuntime.Initialize(1);
        var protocol = new Protocol(Options);
        var started = DateTime.UtcNow;
        var cells = Options.Views.SelectMany(v => Enumerable.Range(0, Options.Seeds).Select(s => (v, s))).ToList();
        // One thread, as the experiment trains (see W2sExperiment).
        var rows = cells.SelectMany(c => protocol.Run("t", new LatentPopulation(Options, c.s).For(c.v), c.s, CancellationToken.None)).ToList();
        var groups = PgrGroups.From(rows);
        foreach (var g in groups)
            output.WriteLine($"{g.View,-14} {g.Method,-14} {g.Epochs,3} epochs: PGR {g.Pgr.Median:F3} [{g.Pgr.Low:F3}, {g.Pgr.High:F3}] n={g.Pgr.N} excluded={g.Pgr.Excluded}");
        output.WriteLine($"wall time {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        double Median(string view, string method, int epochs) => groups.Single(g => g.View == view && g.Method == method && g.Epochs == epochs).Pgr.Median!.Value;

        Assert.True(Median(LatentViews.Inexpressible, TransferMethod.Xent, 20) >= 0.6, "large PGR when the supervisor's errors are inexpressible");
        Assert.True(Math.Abs(Median(LatentViews.Salient, TransferMethod.Xent, 20)) <= 0.05, "no PGR when they are fully salient");
        Assert.True(Median(LatentViews.LessSalient, TransferMethod.LogconfPaper, 20) - Median(LatentViews.LessSalient, TransferMethod.Xent, 20) >= 0.3,
            "the confidence loss beats cross-entropy when they are expressible but less salient");
        var falling = Options.Epochs.Select(e => Median(LatentViews.LessSalient, TransferMethod.Xent, e)).ToList();
        Assert.True(falling[0] > falling[1] && falling[1] > falling[2], $"cross-entropy's PGR falls with epochs: {string.Join(" → ", falling.Select(f => f.ToString("F3")))}");
    }
}
