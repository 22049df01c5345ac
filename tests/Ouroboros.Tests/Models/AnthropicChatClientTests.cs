using System.Text.Json.Nodes;
using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

/// <summary>The Anthropic provider against a stand-in of the Messages API over real HTTP.</summary>
public class AnthropicChatClientTests
{
    private const string Key = "sk-ant-test-0123456789";

    private static string Message(string text) => new JsonObject
    {
        ["id"] = "msg_1", ["type"] = "message", ["role"] = "assistant", ["model"] = "claude-test",
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
        ["stop_reason"] = "end_turn", ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = 11, ["output_tokens"] = 7 },
    }.ToJsonString();

    private static AnthropicChatClient Client(StubServer stub) =>
        new(ModelSpec.Parse("anthropic:claude-test"), Key, baseUrl: new Uri(stub.BaseUrl.GetLeftPart(UriPartial.Authority)));

    [Fact]
    public async Task Several_completions_are_parallel_requests_carrying_system_temperature_and_key()
    {
        await using var stub = await StubServer.StartAsync((n, _, c) => StubServer.Json(c, Message($"answer {n}")));
        using var client = Client(stub);

        var response = await client.GetResponseAsync(Chat.Ask("improve"), Chat.Options(n: 3, temperature: 0.4));

        Assert.Equal(3, ChatConventions.Texts(response).Distinct().Count());
        Assert.Equal(3, stub.Requests);
        Assert.Equal(33, response.Usage!.InputTokenCount);
        Assert.Equal(21, response.Usage.OutputTokenCount);
        var body = JsonNode.Parse(stub.Bodies[0])!;
        Assert.Equal("claude-test", (string?)body["model"]);
        Assert.Equal("You are an expert.", (string?)body["system"]);
        Assert.Equal(0.4, (double)body["temperature"]!, 3);
        Assert.Equal(1024, (int)body["max_tokens"]!);
        Assert.Equal("user", (string?)body["messages"]![0]!["role"]);
        // This SDK sends the key as a bearer token, and only the key it is given.
        Assert.Equal($"Bearer {Key}", stub.Headers[0]["Authorization"]);
    }

    [Fact]
    public async Task A_rate_limit_is_a_transient_fault_with_its_Retry_After()
    {
        await using var stub = await StubServer.StartAsync((_, _, c) =>
        {
            c.Response.Headers.RetryAfter = "7";
            return StubServer.Json(c, """{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}""", 429);
        });
        using var client = Client(stub);

        var fault = await Assert.ThrowsAsync<ModelFaultException>(() => client.GetResponseAsync(Chat.Ask("x"), Chat.Options()));

        Assert.Equal(ModelFaultKind.RateLimited, fault.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), fault.RetryAfter);
        Assert.Contains("slow down", fault.Message);
        Assert.Equal(1, stub.Requests);
    }

    [Fact]
    public async Task An_answer_without_text_is_an_empty_response_fault()
    {
        await using var stub = await StubServer.StartAsync((_, _, c) => StubServer.Json(c, Message("")));
        using var client = Client(stub);
        var fault = await Assert.ThrowsAsync<ModelFaultException>(() => client.GetResponseAsync(Chat.Ask("x"), Chat.Options()));
        Assert.Equal(ModelFaultKind.EmptyResponse, fault.Kind);
    }
}
