using System.Text.Json;
using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Models;
using Ouroboros.Runs;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Stop;

/// <summary>One improver run, I(u, s, L): what it returned, how it ended, and what it set off.</summary>
public sealed record ImproverRun(string ImproverHash, RunStatus Status, string? Output, string? Error, IReadOnlyList<SafetyEvent> Events)
{
    /// <summary>The improved program, when the run ended well and returned a non-empty string.</summary>
    public string? Improved => Status == RunStatus.Ok && !string.IsNullOrWhiteSpace(Output) ? Output : null;
}

/// <summary>
/// Runs an improver — <c>Improver.ImproveAlgorithm(initialSolution, utility, languageModel)</c> —
/// in the sandbox, with a fresh model capability of STOP's budget (a new <c>LanguageModel(budget)</c>
/// per run, as STOP makes) and the utility it is given, both served by the host. Its model calls
/// are named by their place on the run's <see cref="CallPath"/>, so what it draws does not depend on what else runs.
/// </summary>
public sealed class ImproverRunner(StopRun run)
{
    public static readonly EntryPoint Entry = new("Improver", "ImproveAlgorithm");

    public async Task<ImproverRun> RunAsync(string improver, string initialSolution, ICapability utility, CallPath path, CancellationToken cancellationToken)
    {
        var events = new List<SafetyEvent>();
        var model = new LanguageModelCapability("languageModel", run.Run.Model, run.Options.ModelBudget,
            run.Options.MaxResponsesPerCall, run.Options.Prompts, path);
        var request = new ProgramRequest(improver, Entry,
            [new JsonArray(initialSolution, new JsonObject { ["$capability"] = utility.Name }, new JsonObject { ["$capability"] = model.Name })])
        {
            Capabilities = [utility, model],
            Limits = SandboxLimits.Default with { WallClock = run.Options.ImproverTimeLimit, Cpu = run.Options.ImproverTimeLimit * 2, MemoryMb = 512 },
            StopAtFirstFailure = true,
        };
        var hash = ProgramHash.Of(improver);
        // The sandbox's wall clock pauses while the host serves the improver's calls, so an improver
        // that keeps calling is bounded by nothing there; this bound counts everything. Its end is
        // the improver's failure (a timeout), not the run's cancellation, which only the caller's token is.
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(run.Options.ImproverTotalTimeLimit);
        ProgramRun result;
        try { result = await run.Run.Sandbox.RunAsync(request, total.Token); }
        catch (OperationCanceledException) when (total.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            run.Run.Progress.ImproverRan();
            events.AddRange(model.Events);
            return Finish(new ImproverRun(hash, RunStatus.Timeout, null,
                $"the improver run passed its total limit of {run.Options.ImproverTotalTimeoutSeconds} s, its model and utility calls included (improverTotalTimeoutSeconds)", events));
        }
        run.Run.Progress.ImproverRan();
        events.AddRange(model.Events);
        events.AddRange(result.Events);
        if (result.Status != RunStatus.Ok)
        {
            var why = string.Join("; ", result.Diagnostics.Take(3));
            return Finish(new ImproverRun(hash, result.Status, null, why, events));
        }
        var invocation = result.Invocations.FirstOrDefault();
        if (invocation is null) return Finish(new ImproverRun(hash, RunStatus.Crashed, null, "no result", events));
        var output = invocation.Result is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        var error = invocation.Status == RunStatus.Ok && output is null ? "the improver returned no string" : invocation.Error;
        return Finish(new ImproverRun(hash, invocation.Status, output, error, events));
    }

    private ImproverRun Finish(ImproverRun improverRun)
    {
        run.Run.Record(improverRun.Events);
        return improverRun;
    }
}
