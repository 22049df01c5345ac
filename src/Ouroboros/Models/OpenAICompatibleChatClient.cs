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
/// <c>n</c>: a request for several completions goes out once with <c>n</c>. A server that ignores
/// it answers with fewer choices; one that rejects it answers 400 while the same request with
/// <c>n</c> = 1 succeeds. Either way the client remembers the server lacks <c>n</c> and draws the
/// missing completions as parallel single requests, now and from then on.
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
        if (n == 1 || _supportsN == false) return await SinglesAsync(list, options, n, cancellationToken).ConfigureAwait(false);

        Completions first;
        try
        {
            first = await RequestAsync(list, options, n, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelFaultException e) when (e.HttpStatus == 400 && _supportsN is null)
        {
            first = await RequestAsync(list, options, 1, cancellationToken).ConfigureAwait(false);
            _supportsN = false;
        }
        if (first.Texts.Count >= n)
        {
            _supportsN ??= true;
            return ChatConventions.Response(first.Texts.Take(n), _spec.ToString(), first.Usage);
        }
        _supportsN = false;
        var rest = await SinglesAsync(list, options, n - first.Texts.Count, cancellationToken).ConfigureAwait(false);
        return ChatConventions.Response(first.Texts.Concat(ChatConventions.Texts(rest)), _spec.ToString(), Sum(first.Usage, rest.Usage));
    }

    private async Task<ChatResponse> SinglesAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, int n, CancellationToken ct)
    {
        var all = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => RequestAsync(messages, options, 1, ct))).ConfigureAwait(false);
        return ChatConventions.Response(all.SelectMany(c => c.Texts), _spec.ToString(), all.Select(c => c.Usage).Aggregate(Sum));
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
