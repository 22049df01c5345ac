using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Models;

/// <summary>
/// The language model as an improver sees it (<c>ILanguageModel</c>), served on the host side of
/// the sandbox with STOP's semantics (stop.md §3.2): each <c>Prompt</c> or <c>BatchPrompt</c> counts
/// once against <see cref="Budget"/> however many responses it asks for, and is counted before it is
/// checked, as STOP's <c>times_used</c> is; a call past the budget raises "Error: You have exceeded
/// your call budget." inside the improver and is recorded as a <c>budget_exceeded</c> safety event
/// (one per program, counting its refused calls); a prompt over <see cref="PromptLimits"/> (per
/// request, per run) is refused the same way before it is sent; asking for more than
/// <see cref="MaxResponsesPerCall"/> is an error inside the improver; identical messages in a batch
/// go out as one request with <c>n</c>. Make one per improver run, as STOP makes
/// a fresh <c>LanguageModel(budget)</c>. The caller's <see cref="CapabilityCall.Depth"/> is the
/// recursion level its model calls are budgeted and recorded under. Each call's requests are named
/// by their place on the improver run's <see cref="CallPath"/> (<c>c2</c>: its second call;
/// <c>c2/m1</c>: the second distinct message of a batch), so its draws do not depend on arrival order.
/// </summary>
public sealed class LanguageModelCapability : ICapability
{
    /// <summary>STOP's words, so improvers written for STOP recognise the failure.</summary>
    public const string BudgetMessage = "Error: You have exceeded your call budget.";

    private readonly IChatClient _model;
    private readonly PromptLimits _prompts;
    private readonly CountedEvents _refusals = new(SafetyEventKinds.BudgetExceeded, n => $"{n} model call{(n == 1 ? "" : "s")} refused");
    private readonly Lock _gate = new();
    private long _promptChars;
    private int _used;
    private int _refused;
    private readonly CallPath? _path;

    /// <param name="model">The host's model pipeline (see <see cref="ModelPipeline"/>).</param>
    /// <param name="budget">Calls this improver run may make (STOP: 4).</param>
    /// <param name="maxResponsesPerCall">Most responses or messages per call (STOP: 6).</param>
    /// <param name="prompts">How much text the run may send (<see cref="PromptLimits.Default"/> when null).</param>
    /// <param name="path">The improver run's line of work: names its draws and counts its round trips. Without one, draws are numbered in arrival order (<see cref="SampleIndexingChatClient"/>).</param>
    public LanguageModelCapability(string name, IChatClient model, int budget, int maxResponsesPerCall, PromptLimits? prompts = null, CallPath? path = null)
    {
        _path = path;
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResponsesPerCall, 1);
        Name = name;
        _model = model;
        Budget = budget;
        MaxResponsesPerCall = maxResponsesPerCall;
        _prompts = (prompts ?? PromptLimits.Default).Validate();
        Properties = new Dictionary<string, JsonNode?> { ["Budget"] = budget, ["MaxResponsesPerCall"] = maxResponsesPerCall };
    }

    public string Name { get; }
    public string Interface => "ILanguageModel";
    public IReadOnlyDictionary<string, JsonNode?> Properties { get; }
    public int Budget { get; }
    public int MaxResponsesPerCall { get; }
    /// <summary>Calls made so far, refused ones included.</summary>
    public int Used => Volatile.Read(ref _used);
    /// <summary>Calls refused for the budget.</summary>
    public int Refused => Volatile.Read(ref _refused);
    /// <summary>Characters of prompt sent so far (each distinct request once).</summary>
    public long PromptChars { get { lock (_gate) return _promptChars; } }

    /// <summary>The <c>budget_exceeded</c> events: one per calling program, the first refusal's detail with the count of all. Read them when the run ends.</summary>
    public IReadOnlyList<SafetyEvent> Events => _refusals.Events;

    public async Task<JsonNode?> InvokeAsync(string method, JsonArray arguments, CapabilityCall call, CancellationToken cancellationToken)
    {
        if (method is not ("Prompt" or "BatchPrompt"))
            throw new CapabilityFault("unknown_method", $"ILanguageModel has no method '{method}'; it has Prompt and BatchPrompt.");
        int number = Count(call);
        var position = _path?.Draw($"c{number}");
        var caller = new ModelCaller(call.Depth, call.ProgramHash);
        IReadOnlyList<string> answers = method == "Prompt"
            ? await PromptAsync(arguments, caller, position, cancellationToken).ConfigureAwait(false)
            : await BatchPromptAsync(arguments, caller, position, cancellationToken).ConfigureAwait(false);
        return new JsonArray(answers.Select(a => (JsonNode?)a).ToArray());
    }

    /// <summary>Counts the call against the budget (refusing past it) and returns its number, from 1.</summary>
    private int Count(CapabilityCall call)
    {
        int used = Interlocked.Increment(ref _used);
        if (used > Budget) throw Refuse(call.ProgramHash, $"ILanguageModel call {used} with a budget of {Budget} calls");
        return used;
    }

    /// <summary>STOP's refusal; a program's first refusal is recorded as a safety event, the rest only counted.</summary>
    private CapabilityFault Refuse(string programHash, string detail, string message = BudgetMessage)
    {
        Interlocked.Increment(ref _refused);
        _refusals.Note(programHash, () => detail);
        return new CapabilityFault(CapabilityFault.BudgetExceeded, message);
    }

    /// <summary>
    /// Charges the prompts of one call (<paramref name="requests"/>: the distinct requests it sends)
    /// to the run's prompt budget before anything is sent, or refuses the whole call.
    /// </summary>
    private void ChargePrompts(IReadOnlyList<long> requests, string programHash)
    {
        long largest = requests.Max();
        if (largest > _prompts.MaxRequestChars)
            throw Refuse(programHash, $"ILanguageModel prompt of {largest} characters is over the limit of {_prompts.MaxRequestChars} per request; refused unsent",
                $"Error: Your prompt is too long: {largest} characters, and the limit is {_prompts.MaxRequestChars} per request.");
        long total = requests.Sum();
        lock (_gate)
        {
            if (_promptChars + total > _prompts.MaxRunChars)
                throw Refuse(programHash, $"ILanguageModel prompts of {_promptChars + total} characters in all are over the run's limit of {_prompts.MaxRunChars}; refused unsent",
                    $"Error: You have exceeded your prompt budget of {_prompts.MaxRunChars} characters.");
            _promptChars += total;
        }
    }

    private Task<IReadOnlyList<string>> PromptAsync(JsonArray args, ModelCaller caller, string? position, CancellationToken ct)
    {
        var expertise = Arguments.String(args, 0, "expertise");
        var message = Arguments.String(args, 1, "message");
        int n = Arguments.Int(args, 2, "nResponses", 1);
        double temperature = Arguments.Double(args, 3, "temperature", 0.7);
        if (n < 1 || n > MaxResponsesPerCall)
            throw new CapabilityFault(Arguments.Invalid, $"nResponses must be between 1 and MaxResponsesPerCall ({MaxResponsesPerCall}); got {n}.");
        ChargePrompts([(long)expertise.Length + message.Length], caller.ProgramHash);
        _path?.RoundTrip();
        return CompleteAsync(expertise, message, n, temperature, caller, position, ct);
    }

    private async Task<IReadOnlyList<string>> BatchPromptAsync(JsonArray args, ModelCaller caller, string? position, CancellationToken ct)
    {
        var expertise = Arguments.String(args, 0, "expertise");
        var messages = Arguments.Strings(args, 1, "messages");
        double temperature = Arguments.Double(args, 2, "temperature", 0.7);
        if (messages.Count > MaxResponsesPerCall)
            throw new CapabilityFault(Arguments.Invalid, $"a batch may hold at most MaxResponsesPerCall ({MaxResponsesPerCall}) messages; got {messages.Count}.");
        // Identical messages become one request with n = their count; answers go back in order.
        var groups = messages.Distinct().ToList();
        ChargePrompts(groups.Select(m => (long)expertise.Length + m.Length).DefaultIfEmpty(0).ToList(), caller.ProgramHash);
        // The distinct requests go out together: one round trip.
        if (groups.Count > 0) _path?.RoundTrip();
        var answers = await Task.WhenAll(groups.Select((m, g) =>
            CompleteAsync(expertise, m, messages.Count(x => x == m), temperature, caller, position is null ? null : $"{position}/m{g}", ct))).ConfigureAwait(false);
        var queues = groups.Select((m, i) => (m, q: new Queue<string>(answers[i]))).ToDictionary(g => g.m, g => g.q);
        return messages.Select(m => queues[m].Dequeue()).ToList();
    }

    private async Task<IReadOnlyList<string>> CompleteAsync(string expertise, string message, int n, double temperature, ModelCaller caller, string? position, CancellationToken ct)
    {
        var options = ChatConventions.With(ChatConventions.With(new ChatOptions { Temperature = (float)temperature }, ChatConventions.CountKey, n),
            ChatConventions.CallerKey, caller);
        if (position is not null) options = ChatConventions.With(options, ChatConventions.PositionKey, position);
        try
        {
            var response = await _model.GetResponseAsync([new(ChatRole.System, expertise), new(ChatRole.User, message)], options, ct).ConfigureAwait(false);
            var texts = ChatConventions.Texts(response);
            if (texts.Count != n)
                throw new CapabilityFault("model_" + ModelFaults.Name(ModelFaultKind.EmptyResponse), $"the model returned {texts.Count} responses where {n} were asked for.");
            return texts;
        }
        catch (ModelFaultException e)
        {
            throw new CapabilityFault("model_" + ModelFaults.Name(e.Kind), e.Message);
        }
        catch (ModelBudgetExhaustedException e)
        {
            // The run's budget for this level is spent: to the improver it is the same refusal.
            throw Refuse(caller.ProgramHash, e.Message);
        }
    }
}
