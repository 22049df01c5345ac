using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Sandbox;
using Ouroboros.Stop;
using Ouroboros.Tasks;

namespace Ouroboros.Tests.Stop;

/// <summary>
/// An <see cref="ISandbox"/> that plays programs instead of running them, so STOP's loop, meta-utility
/// and baseline can be tested in milliseconds. A solution is scored from its text: <c>"solution 0.7"</c>
/// returns 0.7 on every instance (the <see cref="ScriptedTask"/>'s grader passes it through), and
/// <c>"solution val 0.9 test 0.2"</c> returns 0.9 on validation (and fresh) instances, 0.2 on test ones.
/// An improver is played by the C# delegate registered under its source text; it is given the
/// request's capabilities, as the real sandbox lends them, and may call them.
/// </summary>
internal sealed class ScriptedSandbox : ISandbox
{
    private readonly IReadOnlyDictionary<string, Func<ImproverPlay, Task<Played>>> _improvers;
    private readonly Random? _delays;
    private readonly int _maxDelayMs;
    private readonly AsyncLocal<int> _depth = new();
    private readonly ConcurrentDictionary<string, int> _runs = new();
    private int _solutionRuns, _improverRuns;

    /// <param name="improvers">The improvers this sandbox can play, by source text.</param>
    /// <param name="delaySeed">When set, every improver run first waits 0..<paramref name="maxDelayMs"/> ms (seeded), to shuffle completion order.</param>
    public ScriptedSandbox(IReadOnlyDictionary<string, Func<ImproverPlay, Task<Played>>> improvers, int? delaySeed = null, int maxDelayMs = 3)
    {
        _improvers = improvers;
        _delays = delaySeed is { } seed ? new Random(seed) : null;
        _maxDelayMs = maxDelayMs;
    }

    /// <summary>How each instance's score is reported (identity by default); a replay test changes it to make the sandbox disagree with the recording.</summary>
    public Func<double, double> Scoring { get; init; } = s => s;

    public int SolutionRuns => Volatile.Read(ref _solutionRuns);
    public int ImproverRuns => Volatile.Read(ref _improverRuns);

    /// <summary>How many times the program with this source ran.</summary>
    public int RunsOf(string source) => _runs.GetValueOrDefault(source);

    public async Task<ProgramRun> RunAsync(ProgramRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _runs.AddOrUpdate(request.Source, 1, (_, n) => n + 1);
        if (request.Entry == DownstreamTask.Entry && request.Capabilities.Count == 0)
        {
            Interlocked.Increment(ref _solutionRuns);
            return Finished(request.Source, request.Invocations.Select(i => Solve(request.Source, i)).ToList());
        }
        if (request.Entry != ImproverRunner.Entry)
            throw new InvalidOperationException($"the scripted sandbox plays solutions and improvers, not {request.Entry}");
        if (!_improvers.TryGetValue(request.Source, out var play))
            throw new InvalidOperationException($"no scripted improver for source starting \"{request.Source[..Math.Min(40, request.Source.Length)]}\"");
        Interlocked.Increment(ref _improverRuns);
        await Delay(cancellationToken);
        var played = await PlayAsync(play, request, cancellationToken);
        return Finished(request.Source, [new InvocationResult(played.Status, played.Output is null ? null : JsonValue.Create(played.Output), "", played.Error, 1)]);
    }

    private async Task<Played> PlayAsync(Func<ImproverPlay, Task<Played>> play, ProgramRequest request, CancellationToken cancellationToken)
    {
        // As the worker pool does: capability calls made from this program run one level deeper.
        int depth = _depth.Value;
        _depth.Value = depth + 1;
        var initial = request.Invocations[0][0]!.GetValue<string>();
        try { return await play(new ImproverPlay(request.Source, initial, request.Capabilities, depth, cancellationToken)); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
        // An exception inside the improver (a refused capability call among them) ends its invocation, as in the real sandbox.
        catch (Exception e) { return Played.Ended(RunStatus.Error, $"{e.GetType().Name}: {e.Message}"); }
    }

    private async Task Delay(CancellationToken cancellationToken)
    {
        if (_delays is null) return;
        int ms;
        lock (_delays) ms = _delays.Next(0, _maxDelayMs + 1);
        if (ms > 0) await Task.Delay(ms, cancellationToken);
    }

    private InvocationResult Solve(string source, JsonArray invocation)
    {
        var split = ScriptedTask.SplitOf(invocation[0]!.GetValue<int>());
        return ScriptedSolution.Score(source, split) is { } score
            ? new InvocationResult(RunStatus.Ok, JsonValue.Create(Scoring(score)), "", null, 1)
            : new InvocationResult(RunStatus.Error, null, "", "not a scripted solution", 1);
    }

    private static ProgramRun Finished(string source, IReadOnlyList<InvocationResult> invocations) =>
        new(ProgramHash.Of(source), RunStatus.Ok, [], invocations, [], 0);
}

/// <summary>How a played improver ended: it returned a program, or ended with a status (and no program).</summary>
internal sealed record Played(RunStatus Status, string? Output, string? Error = null)
{
    public static Played Returns(string program) => new(RunStatus.Ok, program);
    public static Played Ended(RunStatus status, string why) => new(status, null, why);

    /// <summary>Ended well but returned no string (a null), which the runner must not take for a program.</summary>
    public static Played Nothing { get; } = new(RunStatus.Ok, null);
}

/// <summary>One improver run as its delegate sees it: its input and the host's capabilities, called as the sandboxed program would.</summary>
internal sealed class ImproverPlay(string source, string initialSolution, IReadOnlyList<ICapability> capabilities, int depth, CancellationToken cancellationToken)
{
    private readonly List<(double Score, bool Refused)> _evaluations = [];

    public string Source { get; } = source;
    public string InitialSolution { get; } = initialSolution;
    public IReadOnlyList<ICapability> Capabilities { get; } = capabilities;

    /// <summary>The run's token, as the sandbox passes it: cancelled when the run is, or its total time is up.</summary>
    public CancellationToken Cancellation => cancellationToken;

    /// <summary>Whether this run improves an improver (level 0, under the meta-utility) rather than a solution.</summary>
    public bool ImprovesAnImprover => !ScriptedSolution.IsSolution(InitialSolution);

    /// <summary>Every Evaluate this run made: what it returned and whether the capability refused to serve it.</summary>
    public IReadOnlyList<(double Score, bool Refused)> Evaluations { get { lock (_evaluations) return [.. _evaluations]; } }

    private CapabilityCall Call() => new(ProgramHash.Of(Source), depth);

    public async Task<double> EvaluateAsync(string candidate, bool? useSandbox = null)
    {
        var call = Call();
        var arguments = useSandbox is { } u ? new JsonArray(candidate, u) : new JsonArray(candidate);
        var result = await Capabilities.Single(c => c.Name == "utility").InvokeAsync("Evaluate", arguments, call, cancellationToken);
        var score = result!.GetValue<double>();
        lock (_evaluations) _evaluations.Add((score, call.Refused));
        return score;
    }

    public async Task<IReadOnlyList<string>> PromptAsync(string message, int n = 1)
    {
        var result = await Capabilities.Single(c => c.Name == "languageModel").InvokeAsync("Prompt",
            new JsonArray("You are an expert.", message, n, 0.7), Call(), cancellationToken);
        return result!.AsArray().Select(a => a!.GetValue<string>()).ToList();
    }
}

/// <summary>The text of scripted solutions: <c>solution 0.7</c>, or <c>solution val 0.9 test 0.2</c>.</summary>
internal static class ScriptedSolution
{
    public static string Of(double score) => string.Create(CultureInfo.InvariantCulture, $"solution {score:0.000}");

    public static string Of(double val, double test) => string.Create(CultureInfo.InvariantCulture, $"solution val {val:0.000} test {test:0.000}");

    public static bool IsSolution(string text) => text.StartsWith("solution ", StringComparison.Ordinal);

    /// <summary>The score the text asks for on <paramref name="split"/>, or null when it is not a scripted solution.</summary>
    public static double? Score(string text, string split)
    {
        var words = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words switch
        {
            ["solution", var s] => Number(s),
            ["solution", "val", var v, "test", var t] => Number(split == Split.TestName ? t : v),
            _ => null,
        };
    }

    private static double? Number(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is >= 0 and <= 1 ? x : null;
}

/// <summary>
/// A downstream task for the scripted sandbox: each instance's only argument is its seed (so the
/// sandbox can tell the split), and the grader passes the returned number through as the score.
/// </summary>
internal static class ScriptedTask
{
    public static DownstreamTask Create(string id = "scripted", double seedScore = 0.1, int validation = 3, int test = 3) =>
        new(id, "double Algorithm(int seed)", "the returned number, averaged over instances", ScriptedSolution.Of(seedScore),
            new SecretUtility(new PassThrough(), validation, test, TimeSpan.FromSeconds(1)));

    /// <summary>Which split an instance seed belongs to: test seeds are STOP's test range; validation and fresh seeds score as validation.</summary>
    public static string SplitOf(int seed) => seed is >= Split.TestSeed and < Split.FreshSeed ? Split.TestName : Split.ValidationName;

    private sealed class PassThrough : IProblem
    {
        public ProblemInstance Generate(int seed) => new(new JsonArray(seed), result => result.GetValueKind() == JsonValueKind.Number
            ? Grade.Valid(result.GetValue<double>())
            : Grade.Invalid("not a number"));
    }
}
