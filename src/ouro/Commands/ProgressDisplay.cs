using Ouroboros.Stop;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// Shows a long run's progress on standard error (stdout stays for results): a line redrawn in
/// place on a terminal, a plain line every 15 seconds otherwise (CI logs).
/// </summary>
internal sealed class ProgressDisplay : IAsyncDisposable
{
    private readonly RunProgress _progress;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private readonly DateTime _started = DateTime.UtcNow;

    public ProgressDisplay(RunProgress progress)
    {
        _progress = progress;
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        var interval = _terminal ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(15);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(interval, _stop.Token);
                Write();
            }
        }
        catch (OperationCanceledException) { }
    }

    private void Write()
    {
        var p = _progress;
        var (val, test) = p.Best;
        var best = double.IsNaN(val) ? "–" : $"val {val:0.000} / test {test:0.000}";
        var line = $"[{DateTime.UtcNow - _started:mm\\:ss}] iteration {p.Iteration}/{p.Iterations} · {p.Phase} · candidates {p.Candidates} · " +
                   $"improver runs {p.ImproverRuns} · evaluations {p.Evaluations} · model calls {p.ModelCalls} · best {best}";
        if (_terminal)
        {
            int width;
            try { width = Math.Max(40, Console.WindowWidth - 1); } catch (IOException) { width = 120; }
            Console.Error.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
        }
        else Console.Error.WriteLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        Write();
        if (_terminal) Console.Error.WriteLine();
    }
}
