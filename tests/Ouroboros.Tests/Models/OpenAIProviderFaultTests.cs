using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

/// <summary>The OpenAI provider against servers that misbehave, over real HTTP.</summary>
public class OpenAIProviderFaultTests
{
    private static OpenAICompatibleChatClient Client(Uri baseUrl, string key = ApiKeys.LocalPlaceholder, ProviderOptions? options = null) =>
        new(ModelSpec.Parse($"openai:{baseUrl}#m"), key, options);

    private static string Choices(params string[] texts) => OpenAIWire.Response("m", texts, null).ToJsonString();

    [Fact]
    public async Task A_server_that_ignores_n_gets_parallel_requests_for_the_rest()
    {
        await using var stub = await StubServer.StartAsync((n, _, c) => StubServer.Json(c, Choices($"answer {n}")));
        var client = Client(stub.BaseUrl);

        var texts = ChatConventions.Texts(await client.GetResponseAsync(Chat.Ask("x"), Chat.Options(n: 3)));

        Assert.Equal(3, texts.Count);
        Assert.Equal(3, texts.Distinct().Count());
        Assert.False(client.SupportsN);
        Assert.Equal(3, (int?)JsonNode.Parse(stub.Bodies[0])!["n"]);
        Assert.All(stub.Bodies.Skip(1), b => Assert.Null(JsonNode.Parse(b)!["n"]));

        // Once learnt, later calls go straight to single requests.
        await client.GetResponseAsync(Chat.Ask("y"), Chat.Options(n: 2));
        Assert.Equal(5, stub.Requests);
    }

    [Fact]
    public async Task A_server_that_rejects_n_gets_single_requests()
    {
        await using var stub = await StubServer.StartAsync((_, body, c) => JsonNode.Parse(body)!["n"] is null
            ? StubServer.Json(c, Choices("fine"))
            : StubServer.Json(c, OpenAIWire.Error("Unrecognized request argument supplied: n", "invalid_request_error").ToJsonString(), 400));
        var client = Client(stub.BaseUrl);

        var texts = ChatConventions.Texts(await client.GetResponseAsync(Chat.Ask("x"), Chat.Options(n: 4)));

        Assert.Equal(4, texts.Count);
        Assert.False(client.SupportsN);
    }

    [Theory]
    [InlineData("{\"choices\": [", ModelFaultKind.MalformedResponse)]
    [InlineData("{\"object\": \"chat.completion\"}", ModelFaultKind.MalformedResponse)]
    [InlineData("{\"choices\": [{\"index\": 0}]}", ModelFaultKind.MalformedResponse)]
    [InlineData("{\"choices\": []}", ModelFaultKind.EmptyResponse)]
    [InlineData("{\"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": null, \"refusal\": \"no\"}}]}", ModelFaultKind.EmptyResponse)]
    [InlineData("{\"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"\"}}]}", ModelFaultKind.EmptyResponse)]
    public async Task Bad_bodies_are_typed_faults(string body, ModelFaultKind kind)
    {
        await using var stub = await StubServer.StartAsync((_, _, c) => StubServer.Json(c, body));
        var fault = await Assert.ThrowsAsync<ModelFaultException>(() => Client(stub.BaseUrl).GetResponseAsync(Chat.Ask("x"), Chat.Options()));
        Assert.Equal(kind, fault.Kind);
        Assert.False(fault.IsTransient);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_timeout_fault()
    {
        await using var stub = await StubServer.StartAsync(async (_, _, c) => await Task.Delay(Timeout.Infinite, c.RequestAborted));
        var client = Client(stub.BaseUrl, options: new ProviderOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        var fault = await Assert.ThrowsAsync<ModelFaultException>(() => client.GetResponseAsync(Chat.Ask("x"), Chat.Options()));

        Assert.Equal(ModelFaultKind.Timeout, fault.Kind);
        Assert.True(fault.IsTransient);
    }

    [Fact]
    public async Task Server_errors_are_transient_and_keys_never_reach_the_message()
    {
        const string key = "sk-test-0123456789abcdef";
        await using var stub = await StubServer.StartAsync((n, _, c) => n == 1
            ? StubServer.Json(c, OpenAIWire.Error($"Incorrect API key provided: {key}.", "invalid_request_error").ToJsonString(), 401)
            : StubServer.Json(c, "{\"error\": {\"message\": \"overloaded\"}}", 503));
        var client = Client(stub.BaseUrl, key);

        var unauthorised = await Assert.ThrowsAsync<ModelFaultException>(() => client.GetResponseAsync(Chat.Ask("x"), Chat.Options()));
        var overloaded = await Assert.ThrowsAsync<ModelFaultException>(() => client.GetResponseAsync(Chat.Ask("x"), Chat.Options()));

        Assert.Equal(ModelFaultKind.Rejected, unauthorised.Kind);
        Assert.DoesNotContain(key, unauthorised.Message);
        Assert.DoesNotContain(key, unauthorised.ToString());
        Assert.Equal($"Bearer {key}", stub.Headers[0]["Authorization"]);
        Assert.Equal(ModelFaultKind.ServerError, overloaded.Kind);
        Assert.Equal(503, overloaded.HttpStatus);
        Assert.True(overloaded.IsTransient);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_a_transient_network_fault()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var fault = await Assert.ThrowsAsync<ModelFaultException>(() => Client(new Uri($"http://127.0.0.1:{port}/v1")).GetResponseAsync(Chat.Ask("x"), Chat.Options()));

        Assert.Equal(ModelFaultKind.Network, fault.Kind);
        Assert.True(fault.IsTransient);
    }

    private static RetryChatClient Retrying(IChatClient client) =>
        new(client, new ModelRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) });

    [Fact]
    public async Task A_server_that_answered_n_in_full_keeps_n_after_one_short_answer()
    {
        await using var stub = await StubServer.StartAsync((k, body, c) =>
        {
            int n = (int?)JsonNode.Parse(body)!["n"] ?? 1;
            return StubServer.Json(c, k == 2 ? Choices("short") : Choices([.. Enumerable.Range(0, n).Select(i => $"a{k}.{i}")]));
        });
        var client = Client(stub.BaseUrl);

        await client.GetResponseAsync(Chat.Ask("x"), Chat.Options(n: 3));
        var texts = ChatConventions.Texts(await client.GetResponseAsync(Chat.Ask("y"), Chat.Options(n: 3)));
        await client.GetResponseAsync(Chat.Ask("z"), Chat.Options(n: 3));

        Assert.Equal(3, texts.Count);
        Assert.True(client.SupportsN);
        // 1 full, 1 short + 2 singles for the missing, 1 full again.
        Assert.Equal(5, stub.Requests);
        Assert.Equal(3, (int?)JsonNode.Parse(stub.Bodies[^1])!["n"]);
    }

    [Fact]
    public async Task A_retry_asks_only_for_the_completions_that_had_not_arrived()
    {
        // A server that ignores n; its third request fails once with a 503.
        await using var stub = await StubServer.StartAsync((k, _, c) => k == 3
            ? StubServer.Json(c, OpenAIWire.Error("overloaded", "server_error").ToJsonString(), 503)
            : StubServer.Json(c, Choices($"answer {k}")));
        var client = Client(stub.BaseUrl);

        var texts = ChatConventions.Texts(await Retrying(client).GetResponseAsync(Chat.Ask("x"), Chat.Options(n: 3)));

        Assert.Equal(3, texts.Count);
        Assert.Equal(3, texts.Distinct().Count());
        // 1 with n, 2 singles (one a 503), then the retry's single for the one missing: not 3 more.
        Assert.Equal(4, stub.Requests);
    }

    [Fact]
    public async Task One_empty_completion_is_drawn_again_and_does_not_discard_the_others()
    {
        await using var stub = await StubServer.StartAsync((k, body, c) => k == 2 ? StubServer.Json(c, Choices("")) : StubServer.Json(c, Choices($"answer {k}")));
        var client = Client(stub.BaseUrl, options: new ProviderOptions { SupportsN = false });

        var texts = ChatConventions.Texts(await client.GetResponseAsync(Chat.Ask("x"), Chat.Options(n: 4)));

        Assert.Equal(4, texts.Count);
        Assert.DoesNotContain("", texts);
        Assert.Equal(5, stub.Requests);
    }

    [Fact]
    public async Task Twelve_calls_under_a_high_fault_rate_send_few_more_requests_than_completions()
    {
        // A server that ignores n and fails every third request with a 500: 12 calls of 4 completions.
        await using var stub = await StubServer.StartAsync((k, _, c) => k % 3 == 0
            ? StubServer.Json(c, OpenAIWire.Error("boom", "server_error").ToJsonString(), 500)
            : StubServer.Json(c, Choices($"answer {k}")));
        var model = Retrying(Client(stub.BaseUrl));

        for (int i = 0; i < 12; i++)
            Assert.Equal(4, ChatConventions.Texts(await model.GetResponseAsync(Chat.Ask($"q{i}"), Chat.Options(n: 4))).Count);

        // 48 completions arrive; a fault costs one request, not the call's n again: about 48 × 3/2 (re-sending whole calls would take some 240).
        Assert.InRange(stub.Requests, 48, 90);
    }

    [Fact]
    public async Task Completions_held_for_a_retry_survive_a_second_fault()
    {
        // A server that answers n: the first request is short (1 of 4), the three singles for the rest
        // fail, so does the retry's request for those three; the next retry gets them.
        await using var stub = await StubServer.StartAsync((k, body, c) =>
        {
            int n = (int?)JsonNode.Parse(body)!["n"] ?? 1;
            if (k == 1) return StubServer.Json(c, Choices("a"));
            if (k is >= 2 and <= 5) return StubServer.Json(c, OpenAIWire.Error("busy", "server_error").ToJsonString(), 503);
            return StubServer.Json(c, Choices([.. Enumerable.Range(0, n).Select(i => $"r{k}.{i}")]));
        });
        var client = Client(stub.BaseUrl, options: new ProviderOptions { SupportsN = true });

        var texts = ChatConventions.Texts(await Retrying(client).GetResponseAsync(Chat.Ask("x"), Chat.Options(n: 4)));

        Assert.Equal(4, texts.Count);
        Assert.Equal(["a", "r6.0", "r6.1", "r6.2"], texts);
        Assert.Equal(3, (int?)JsonNode.Parse(stub.Bodies[4])!["n"]);
        Assert.Equal(6, stub.Requests);
    }
}
