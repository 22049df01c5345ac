using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;
using AnthropicParams = Anthropic.Models.Messages.MessageCreateParams;

namespace Ouroboros.Models;

/// <summary>
/// Claude through the official Anthropic SDK. The Messages API has no <c>n</c>, so several
/// completions are parallel requests. Temperature is not among the SDK's typed parameters, so the
/// body is handed over raw. The SDK's own retries are off (<see cref="RetryChatClient"/> owns
/// retrying), and a handler reads <c>Retry-After</c>, which the SDK's exceptions do not carry.
/// </summary>
public sealed class AnthropicChatClient : IChatClient
{
    private readonly ModelSpec _spec;
    private readonly string _key;
    private readonly ProviderOptions _options;
    private readonly AnthropicClient _client;
    private readonly HttpClient _http;

    /// <param name="baseUrl">Another endpoint speaking the Anthropic API (a gateway, a test server).</param>
    public AnthropicChatClient(ModelSpec spec, string apiKey, ProviderOptions? options = null, Uri? baseUrl = null)
    {
        if (spec.Provider != ModelProvider.Anthropic) throw new ArgumentException($"{spec} is not an Anthropic model.", nameof(spec));
        _spec = spec;
        _key = apiKey;
        _options = (options ?? new ProviderOptions()).Validate();
        _http = new HttpClient(new RetryAfterCapture { InnerHandler = new SocketsHttpHandler() }) { Timeout = Timeout.InfiniteTimeSpan };
        var clientOptions = new ClientOptions { ApiKey = apiKey, HttpClient = _http, MaxRetries = 0, Timeout = _options.RequestTimeout };
        if (baseUrl is not null) clientOptions.BaseUrl = baseUrl.ToString().TrimEnd('/');
        _client = new AnthropicClient(clientOptions);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Request(messages.ToList(), options);
        var all = await Task.WhenAll(Enumerable.Range(0, ChatConventions.Count(options)).Select(_ => OneAsync(request, cancellationToken))).ConfigureAwait(false);
        var usage = new UsageDetails { InputTokenCount = all.Sum(a => a.In), OutputTokenCount = all.Sum(a => a.Out) };
        return ChatConventions.Response(all.Select(a => a.Text), _spec.ToString(), usage);
    }

    private AnthropicParams Request(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var system = string.Join("\n\n", messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text).Prepend(options?.Instructions).OfType<string>());
        var body = new Dictionary<string, object?>
        {
            ["model"] = _spec.Model,
            ["max_tokens"] = options?.MaxOutputTokens ?? _options.DefaultMaxTokens,
            ["messages"] = messages.Where(m => m.Role != ChatRole.System)
                .Select(m => new Dictionary<string, string> { ["role"] = m.Role == ChatRole.Assistant ? "assistant" : "user", ["content"] = m.Text }).ToList(),
        };
        if (system.Length > 0) body["system"] = system;
        if (options?.Temperature is { } t) body["temperature"] = Math.Min(t, 1f); // Anthropic's range is [0, 1].
        if (options?.TopP is { } p) body["top_p"] = p;
        if (options?.StopSequences is { Count: > 0 } stop) body["stop_sequences"] = stop;
        var raw = body.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value));
        return AnthropicParams.FromRawUnchecked(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), raw);
    }

    private async Task<(string Text, long In, long Out)> OneAsync(AnthropicParams request, CancellationToken ct)
    {
        var retryAfter = new RetryAfterCapture.Box();
        RetryAfterCapture.Current.Value = retryAfter;
        try
        {
            var message = await _client.Messages.Create(request, ct).ConfigureAwait(false);
            var text = string.Concat(message.Content.Select(b => b.TryPickText(out var t) ? t.Text : ""));
            if (string.IsNullOrWhiteSpace(text))
                throw new ModelFaultException(ModelFaultKind.EmptyResponse, $"{_spec} answered without text.");
            return (text, message.Usage.InputTokens, message.Usage.OutputTokens);
        }
        catch (AnthropicApiException e)
        {
            int status = (int)e.StatusCode;
            var detail = SecretRedactor.Redact($"HTTP {status} from {_spec}: {OpenAIWire.ErrorMessage(e.ResponseBody)}", _key);
            throw new ModelFaultException(ModelFaults.FromStatus(status), detail, status, retryAfter.Value);
        }
        catch (Exception e) when (e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new ModelFaultException(ModelFaultKind.Timeout, $"{_spec} did not answer within {_options.RequestTimeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is AnthropicIOException or HttpRequestException or IOException)
        {
            throw new ModelFaultException(ModelFaultKind.Network, SecretRedactor.Redact($"could not reach {_spec}: {e.Message}", _key));
        }
        catch (Exception e) when (e is AnthropicInvalidDataException or JsonException or AnthropicSseException)
        {
            throw new ModelFaultException(ModelFaultKind.MalformedResponse, SecretRedactor.Redact($"{_spec} answered with malformed JSON: {e.Message}", _key));
        }
        finally
        {
            RetryAfterCapture.Current.Value = null;
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? ModelPipeline.Metadata(_spec) : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
    }

    /// <summary>Notes the <c>Retry-After</c> of an error response for the request that is waiting on it.</summary>
    private sealed class RetryAfterCapture : DelegatingHandler
    {
        public sealed class Box { public TimeSpan? Value; }

        public static readonly AsyncLocal<Box?> Current = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && Current.Value is { } box)
            {
                string? header(string name) => response.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;
                box.Value = ModelFaults.ParseRetryAfter(header("retry-after-ms"), header("Retry-After"), DateTimeOffset.UtcNow);
            }
            return response;
        }
    }
}
