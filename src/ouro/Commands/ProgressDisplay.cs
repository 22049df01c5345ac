using Ouroboros.Runs;
using Spectre.Console;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// Shows a long run's progress on standard error (stdout stays for results): a Spectre.Console live
/// view on a terminal, a plain line every 15 seconds otherwise (CI logs; <c>OUROBOROS_PROGRESS_SECONDS</c>
/// sets another interval).
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
                await Task.Delay(PlainInterval, _stop.Token);
                Console.Error.WriteLine(Line());
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>How often a plain line is written: 15 s, or <c>OUROBOROS_PROGRESS_SECONDS</c> (a positive number) for a log that wants more or fewer.</summary>
    private static TimeSpan PlainInterval =>
        double.TryParse(Environment.GetEnvironmentVariable("OUROBOROS_PROGRESS_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 && s < 86400
            ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(15);

    private Table View()
    {
        var p = _progress;
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
        table.AddRow("elapsed", $"{Clock(DateTime.UtcNow - _started)}{(IsStop && p.LoopEta is { } eta ? $" · loop ETA {Clock(eta)} (at the pace of the iterations done)" : "")}");
        if (IsStop && p.Iterations > 0)
        {
            table.AddRow("iteration", $"{p.Iteration} of {p.Iterations} — {Markup.Escape(p.Phase)}");
            table.AddRow("candidates", $"{p.Candidates} scored · meta-utility calls this step {p.StepMetaUtilityCalls} of {p.MetaUtilityBudget}");
        }
        else table.AddRow(p.Kind, Markup.Escape(p.Phase));
        table.AddRow("work", $"{p.ImproverRuns} improver runs · {p.Evaluations} evaluations{InFlight()}");
        table.AddRow("model", $"{p.ModelCalls} calls · {p.ModelCompletions} completions");
        if (IsStop) table.AddRow("best so far", Best());
        if (IsStop && p.History is { Count: > 0 } history)
            table.AddRow("iterations", string.Join("\n", history.TakeLast(8).Select(h =>
                $"t={h.T} {Clock(h.Duration)} {(h.T == 0 ? "I₀" : h.Adopted ? "adopted" : "kept current")} · val û {h.Val:0.000}")));
        return table;
    }

    private bool IsStop => _progress.Kind == "stop";

    private string Line()
    {
        var p = _progress;
        var head = IsStop && p.Iterations == 0
            ? $"{p.Kind} · {p.Phase} · "
            : IsStop
            ? $"iteration {p.Iteration}/{p.Iterations} · {p.Phase} · candidates {p.Candidates} (meta-utility calls this step {p.StepMetaUtilityCalls}/{p.MetaUtilityBudget}) · "
            : $"{p.Kind} · {p.Phase} · ";
        var eta = IsStop && p.LoopEta is { } e ? $" · loop ETA {Clock(e)}" : "";
        return $"[{Clock(DateTime.UtcNow - _started)}] {head}improver runs {p.ImproverRuns} · evaluations {p.Evaluations}{InFlight()} · model calls {p.ModelCalls}" +
            (IsStop ? $" · best {Best()}" : "") + eta;
    }

    /// <summary>
    /// Evaluations under way, the improvers' utility calls among them: how many, the oldest one's age,
    /// and their instances done of all (each instance is reported as its result arrives).
    /// </summary>
    private string InFlight()
    {
        var (count, longest, done, instances) = _progress.EvaluationsInFlight;
        return count == 0 ? "" : $" ({count} in flight, longest {Clock(longest)}, instances {done}/{instances})";
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{t:mm\\:ss}";

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
