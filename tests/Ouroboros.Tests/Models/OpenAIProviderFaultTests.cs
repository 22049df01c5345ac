using System.Text.Json.Nodes;
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
}
