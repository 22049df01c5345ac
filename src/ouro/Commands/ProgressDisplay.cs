using Ouroboros.Runs;
using Spectre.Console;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// Shows a long run's progress on standard error (stdout stays for results): a Spectre.Console live
/// view on a terminal, a plain line every 15 seconds otherwise (CI logs).
/// </summary>
internal sealed class ProgressDisplay : IAsyncDisposable
{
    private readonly RunProgress _progress;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly DateTime _started = DateTime.UtcNow;

    public ProgressDisplay(RunProgress progress)
    {
        _progress = progress;
        _loop = Console.IsErrorRedirected ? Task.Run(PlainAsync) : Task.Run(LiveAsync);
    }

    private async Task LiveAsync()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Live(View()).StartAsync(async live =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try { await Task.Delay(500, _stop.Token); } catch (OperationCanceledException) { }
                live.UpdateTarget(View());
            }
        });
    }

    private async Task PlainAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), _stop.Token);
                Console.Error.WriteLine(Line());
            }
        }
        catch (OperationCanceledException) { }
    }

    private Table View()
    {
        var p = _progress;
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
        table.AddRow("elapsed", $"{DateTime.UtcNow - _started:mm\\:ss}");
        table.AddRow("iteration", $"{p.Iteration} of {p.Iterations} — {Markup.Escape(p.Phase)}");
        table.AddRow("candidates", $"{p.Candidates} scored · meta-utility calls this step {p.StepMetaUtilityCalls} of {p.MetaUtilityBudget}");
        table.AddRow("work", $"{p.ImproverRuns} improver runs · {p.Evaluations} evaluations");
        table.AddRow("model", $"{p.ModelCalls} calls · {p.ModelCompletions} completions");
        table.AddRow("best so far", Best());
        return table;
    }

    private string Line() =>
        $"[{DateTime.UtcNow - _started:mm\\:ss}] iteration {_progress.Iteration}/{_progress.Iterations} · {_progress.Phase} · candidates {_progress.Candidates} " +
        $"(meta-utility calls this step {_progress.StepMetaUtilityCalls}/{_progress.MetaUtilityBudget}) · improver runs {_progress.ImproverRuns} · " +
        $"evaluations {_progress.Evaluations} · model calls {_progress.ModelCalls} · best {Best()}";

    private string Best()
    {
        var (val, test) = _progress.Best;
        return double.IsNaN(val) ? "–" : $"val {val:0.000} / test {test:0.000}";
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        if (Console.IsErrorRedirected) Console.Error.WriteLine(Line());
    }
}
