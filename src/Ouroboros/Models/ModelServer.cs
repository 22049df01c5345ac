using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;

namespace Ouroboros.Models;

/// <summary>
/// Serves a model (the offline mutation model included) as an OpenAI-compatible
/// <c>/v1/chat/completions</c> and <c>/v1/models</c> on 127.0.0.1 only: <c>ouro serve-model</c>,
/// and the far end of the provider's end-to-end tests. Repeated identical requests draw fresh
/// samples (<see cref="SampleIndexingChatClient"/>), as from a real model.
/// </summary>
public sealed class ModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Traffic _traffic;

    /// <summary>Chat completion requests answered or failed so far.</summary>
    public long Served => Interlocked.Read(ref _traffic.Served);

    /// <summary>The most chat completion requests that were in flight at once: how parallel the clients were.</summary>
    public long MaxInFlight => Interlocked.Read(ref _traffic.MaxInFlight);

    private sealed class Traffic
    {
        public long InFlight, MaxInFlight, Served;

        public void Start()
        {
            long now = Interlocked.Increment(ref InFlight);
            long max;
            while (now > (max = Interlocked.Read(ref MaxInFlight)) && Interlocked.CompareExchange(ref MaxInFlight, now, max) != max) { }
        }

        public void End()
        {
            Interlocked.Decrement(ref InFlight);
            Interlocked.Increment(ref Served);
        }
    }

    /// <summary>The base URL clients use, e.g. <c>http://127.0.0.1:8000/v1</c>.</summary>
    public Uri BaseUrl { get; }

    private ModelServer(WebApplication app, Uri baseUrl, Traffic traffic)
    {
        _app = app;
        _traffic = traffic;
        BaseUrl = baseUrl;
    }

    /// <summary>Starts serving <paramref name="model"/> under <paramref name="modelName"/>; port 0 picks a free port.</summary>
    public static async Task<ModelServer> StartAsync(IChatClient model, string modelName, int port, CancellationToken cancellationToken = default)
    {
        var sampled = new SampleIndexingChatClient(model);
        var traffic = new Traffic();
        var (app, root) = await LoopbackHost.StartAsync(port, web =>
        {
            web.MapGet("/v1/models", () => Results.Json(new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject { ["id"] = modelName, ["object"] = "model", ["owned_by"] = "ouroboros" }),
            }));
            web.MapPost("/v1/chat/completions", async (HttpRequest request, CancellationToken ct) =>
            {
                traffic.Start();
                try { return await CompleteAsync(sampled, modelName, request, ct); }
                finally { traffic.End(); }
            });
        }, cancellationToken).ConfigureAwait(false);
        return new ModelServer(app, new Uri(root, "/v1"), traffic);
    }

    private static async Task<IResult> CompleteAsync(IChatClient model, string modelName, HttpRequest request, CancellationToken ct)
    {
        string body;
        using (var reader = new StreamReader(request.Body)) body = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        List<ChatMessage> messages;
        ChatOptions options;
        try
        {
            (messages, options) = OpenAIWire.ParseRequest(body);
        }
        catch (FormatException e)
        {
            return Results.Json(OpenAIWire.Error(e.Message, "invalid_request_error"), statusCode: StatusCodes.Status400BadRequest);
        }
        try
        {
            var response = await model.GetResponseAsync(messages, options, ct).ConfigureAwait(false);
            return Results.Json(OpenAIWire.Response(modelName, ChatConventions.Texts(response), response.Usage));
        }
        catch (ModelFaultException e)
        {
            return Results.Json(OpenAIWire.Error(e.Message, "upstream_error", ModelFaults.Name(e.Kind)), statusCode: StatusCodes.Status502BadGateway);
        }
    }

    /// <summary>Completes when the server stops (Ctrl-C, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
