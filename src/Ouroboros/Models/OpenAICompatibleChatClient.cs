using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Ouroboros.Models;

/// <summary>
/// Chat completions from any OpenAI-compatible server (OpenAI, Azure OpenAI, vLLM, Ollama,
/// llama.cpp, LM Studio, <c>ouro serve-model</c>) through the official OpenAI SDK's protocol
/// method, which keeps every choice of an <c>n</c>-completion response.
/// <para>
/// <c>n</c>: a request for several completions goes out once with <c>n</c>. A server that rejects it
/// (400, while the same request with <c>n</c> = 1 succeeds) or, never having answered <c>n</c> in
/// full, answers with a single choice, is taken not to support it: from then on the completions are
/// drawn as parallel single requests. A server that has answered <c>n</c> in full once keeps it; a
/// short answer from it is a hiccup, and only the missing completions are drawn singly.
/// </para>
/// <para>
/// Requests are not multiplied by faults. Completions that arrived before a call failed are held
/// for that call's retry (the same <see cref="ChatOptions"/> instance), which asks only for the
/// rest; a single completion that comes back empty or malformed is drawn again once, since its
/// siblings show the request itself is fine, so one bad sample does not discard the others.
/// </para>
/// The SDK's own retries are off: <see cref="RetryChatClient"/> owns retrying.
/// </summary>
public sealed class OpenAICompatibleChatClient : IChatClient
{
    private readonly ModelSpec _spec;
    private readonly ChatClient _client;
    private readonly string _key;
    private readonly ProviderOptions _options;
    private bool? _supportsN;

    public OpenAICompatibleChatClient(ModelSpec spec, string apiKey, ProviderOptions? options = null)
    {
        if (spec.Provider != ModelProvider.OpenAI) throw new ArgumentException($"{spec} is not an OpenAI-compatible model.", nameof(spec));
        _spec = spec;
        _key = apiKey;
        _options = (options ?? new ProviderOptions()).Validate();
        _supportsN = _options.SupportsN;
        var clientOptions = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = _options.RequestTimeout };
        if (spec.BaseUrl is not null) clientOptions.Endpoint = spec.BaseUrl;
        _client = new ChatClient(spec.Model, new ApiKeyCredential(apiKey), clientOptions);
    }

    /// <summary>What the client has learnt about the server's <c>n</c> support (null until a multi-completion request).</summary>
    public bool? SupportsN => _supportsN;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        int n = ChatConventions.Count(options);
        // What an earlier attempt of this very call (a retry passes the same options) brought back.
        var held = new Completions([], null);
        if (n > 1 && options is not null && _held.TryGetValue(options, out var h)) { held = h; _held.Remove(options); }
        int missing = n - held.Texts.Count;
        try
        {
            var got = await DrawAsync(list, options, missing, cancellationToken).ConfigureAwait(false);
            return ChatConventions.Response(held.Texts.Concat(got.Texts).Take(n), _spec.ToString(), Sum(held.Usage, got.Usage));
        }
        catch (PartialFault e)
        {
            if (options is not null && e.Arrived.Texts.Count + held.Texts.Count > 0) _held.AddOrUpdate(options, new Completions([.. held.Texts, .. e.Arrived.Texts], Sum(held.Usage, e.Arrived.Usage)));
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.Fault);
            throw; // not reached
        }
        catch (ModelFaultException) when (options is not null && held.Texts.Count > 0)
        {
            _held.AddOrUpdate(options, held); // nothing new arrived; keep what had for the next attempt
            throw;
        }
    }

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ChatOptions, Completions> _held = [];

    /// <summary><paramref name="n"/> completions, with <c>n</c> where the server takes it, else singly.</summary>
    private async Task<Completions> DrawAsync(IReadOnlyList<ChatMessage> list, ChatOptions? options, int n, CancellationToken ct)
    {
        if (n == 1 || _supportsN == false) return await SinglesAsync(list, options, n, ct).ConfigureAwait(false);
        Completions first;
        try
        {
            first = await RequestAsync(list, options, n, ct).ConfigureAwait(false);
        }
        catch (ModelFaultException e) when (e.HttpStatus == 400 && _supportsN is null)
        {
            first = await RequestAsync(list, options, 1, ct).ConfigureAwait(false);
            _supportsN = false;
        }
        if (first.Texts.Count >= n)
        {
            _supportsN ??= true;
            return new Completions(first.Texts.Take(n).ToList(), first.Usage);
        }
        // One choice from a server never seen to answer n in full: it ignores n.
        if (_supportsN is null && first.Texts.Count == 1) _supportsN = false;
        try
        {
            var rest = await SinglesAsync(list, options, n - first.Texts.Count, ct).ConfigureAwait(false);
            return new Completions([.. first.Texts, .. rest.Texts], Sum(first.Usage, rest.Usage));
        }
        catch (PartialFault e)
        {
            throw new PartialFault(e.Fault, new Completions([.. first.Texts, .. e.Arrived.Texts], Sum(first.Usage, e.Arrived.Usage)));
        }
    }

    /// <summary><paramref name="n"/> single requests in parallel; if any fails, a <see cref="PartialFault"/> carrying those that arrived.</summary>
    private async Task<Completions> SinglesAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, int n, CancellationToken ct)
    {
        var tasks = Enumerable.Range(0, n).Select(_ => SingleAsync(messages, options, n > 1, ct)).ToList();
        try { await Task.WhenAll(tasks).ConfigureAwait(false); }
        catch (ModelFaultException) { }
        var arrived = tasks.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList();
        var texts = arrived.SelectMany(c => c.Texts).ToList();
        var usage = arrived.Select(c => c.Usage).Aggregate((UsageDetails?)null, Sum);
        var failed = tasks.FirstOrDefault(t => !t.IsCompletedSuccessfully);
        if (failed is null) return new Completions(texts, usage);
        var fault = failed.Exception?.InnerException as ModelFaultException;
        if (fault is null) await failed.ConfigureAwait(false); // cancellation or a bug: rethrow as is
        throw new PartialFault(fault!, new Completions(texts, usage));
    }

    /// <summary>One completion; one of several that came back empty or malformed is drawn again, once.</summary>
    private async Task<Completions> SingleAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, bool ofSeveral, CancellationToken ct)
    {
        try { return await RequestAsync(messages, options, 1, ct).ConfigureAwait(false); }
        catch (ModelFaultException e) when (ofSeveral && e.Kind is ModelFaultKind.EmptyResponse or ModelFaultKind.MalformedResponse)
        {
            return await RequestAsync(messages, options, 1, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A fault, with the completions that had arrived when it struck.</summary>
    private sealed class PartialFault(ModelFaultException fault, Completions arrived) : Exception(fault.Message, fault)
    {
        public ModelFaultException Fault { get; } = fault;
        public Completions Arrived { get; } = arrived;
    }

    private sealed record Completions(IReadOnlyList<string> Texts, UsageDetails? Usage);

    private async Task<Completions> RequestAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, int n, CancellationToken ct)
    {
        var body = OpenAIWire.Request(_spec.Model, messages, options, n, _options.DefaultMaxTokens, officialOpenAI: _spec.BaseUrl is null);
        ClientResult result;
        try
        {
            result = await _client.CompleteChatAsync(BinaryContent.Create(BinaryData.FromString(body.ToJsonString())), new RequestOptions { CancellationToken = ct }).ConfigureAwait(false);
        }
        catch (ClientResultException e) when (e.Status != 0)
        {
            var raw = e.GetRawResponse();
            string? header(string name) => raw is not null && raw.Headers.TryGetValue(name, out var v) ? v : null;
            var wait = ModelFaults.ParseRetryAfter(header("retry-after-ms"), header("Retry-After"), DateTimeOffset.UtcNow);
            var message = SecretRedactor.Redact($"HTTP {e.Status} from {_spec}: {OpenAIWire.ErrorMessage(raw?.Content?.ToString())}", _key);
            throw new ModelFaultException(ModelFaults.FromStatus(e.Status), message, e.Status, wait);
        }
        catch (Exception e) when (e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new ModelFaultException(ModelFaultKind.Timeout, $"{_spec} did not answer within {_options.RequestTimeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is ClientResultException or HttpRequestException or IOException)
        {
            throw new ModelFaultException(ModelFaultKind.Network, SecretRedactor.Redact($"could not reach {_spec}: {e.Message}", _key));
        }
        var (texts, usage) = OpenAIWire.ParseResponse(result.GetRawResponse().Content.ToString(), _spec.ToString());
        return new Completions(texts, usage);
    }

    private static UsageDetails? Sum(UsageDetails? a, UsageDetails? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        var s = new UsageDetails { InputTokenCount = a.InputTokenCount, OutputTokenCount = a.OutputTokenCount, TotalTokenCount = a.TotalTokenCount };
        s.Add(b);
        return s;
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? ModelPipeline.Metadata(_spec)
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
