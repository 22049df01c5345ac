using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Contracts;
using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

/// <summary>The OpenAI provider against <c>ouro serve-model</c>'s server over real HTTP.</summary>
public class OpenAIEndToEndTests
{
    private const string Program = """
        public static class Scorer
        {
            public static double Score(double[] xs)
            {
                double total = 0.5;
                for (int i = 0; i < xs.Length; i++) total += xs[i] * 2.0;
                if (total > 10) return total / 3; else return total - 1;
            }
        }
        """;

    private static List<ChatMessage> Ask() => Chat.Ask($"Improve the following solution:\n```csharp\n{Program}\n```");

    private static OpenAICompatibleChatClient Client(Uri baseUrl, ProviderOptions? options = null) =>
        new(ModelSpec.Parse($"openai:{baseUrl}#offline"), ApiKeys.LocalPlaceholder, options);

    [Fact]
    public async Task Several_completions_come_back_from_one_request_with_n()
    {
        await using var server = await ModelServer.StartAsync(new OfflineMutationModel(seed: 2), "offline", 0);
        var client = Client(server.BaseUrl);

        var texts = ChatConventions.Texts(await client.GetResponseAsync(Ask(), Chat.Options(n: 4)));

        Assert.Equal(4, texts.Count);
        Assert.All(texts, t => Assert.Empty(MutantCompiler.Errors(MutantCompiler.Parse(CodeBlocks.Largest(t)))));
        Assert.True(texts.Distinct().Count() > 1);
        Assert.True(client.SupportsN);
    }

    [Fact]
    public async Task Temperature_reaches_the_model()
    {
        await using var server = await ModelServer.StartAsync(new OfflineMutationModel(seed: 2), "offline", 0);
        var client = Client(server.BaseUrl);
        static int Mutations(string t) => System.Text.RegularExpressions.Regex.Matches(t.Split('\n')[0], @"(^Mutations: |; )line \d+:").Count;

        var cold = ChatConventions.Texts(await client.GetResponseAsync(Ask(), Chat.Options(n: 12, temperature: 0)));
        var hot = ChatConventions.Texts(await client.GetResponseAsync(Ask(), Chat.Options(n: 12, temperature: 2)));

        Assert.All(cold, t => Assert.Equal(1, Mutations(t)));
        Assert.True(hot.Average(Mutations) > 1.5);
    }

    [Fact]
    public async Task A_malformed_request_gets_400_with_a_JSON_error_body()
    {
        await using var server = await ModelServer.StartAsync(new OfflineMutationModel(), "offline", 0);
        using var http = new HttpClient();

        foreach (var bad in new[] { "{not json", "[]", """{"messages":[]}""", """{"messages":[{"role":"user","content":"x"}],"n":0}""" })
        {
            var response = await http.PostAsync(new Uri(server.BaseUrl + "/chat/completions"), new StringContent(bad, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
            Assert.Equal("invalid_request_error", (string?)error["type"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
        }

        // Through the provider the refusal is a typed fault carrying the server's reason.
        var fault = await Assert.ThrowsAsync<ModelFaultException>(() => Client(server.BaseUrl).GetResponseAsync(Ask(), Chat.Options(temperature: 3)));
        Assert.Equal(ModelFaultKind.Rejected, fault.Kind);
        Assert.Contains("'temperature' must be between 0 and 2", fault.Message);
    }

    [Fact]
    public async Task The_models_endpoint_names_the_served_model()
    {
        await using var server = await ModelServer.StartAsync(new OfflineMutationModel(), "offline", 0);
        using var http = new HttpClient();
        var models = JsonNode.Parse(await http.GetStringAsync(server.BaseUrl + "/models"))!;
        Assert.Equal("offline", (string?)models["data"]![0]!["id"]);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_out_then_answered()
    {
        await using var stub = await StubServer.StartAsync((n, _, context) =>
        {
            if (n > 1) return StubServer.Json(context, OpenAIWire.Response("m", ["```csharp\nok();\n```"], null).ToJsonString());
            context.Response.Headers.RetryAfter = "1";
            return StubServer.Json(context, OpenAIWire.Error("Rate limit reached", "rate_limit_error").ToJsonString(), 429);
        });
        var delays = new List<TimeSpan>();
        var client = new RetryChatClient(Client(stub.BaseUrl), new ModelRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), OnRetry = (_, d, _) => delays.Add(d) });

        var texts = ChatConventions.Texts(await client.GetResponseAsync(Ask(), Chat.Options()));

        Assert.Equal("```csharp\nok();\n```", Assert.Single(texts));
        Assert.Equal(2, stub.Requests);
        Assert.Equal(TimeSpan.FromSeconds(1), Assert.Single(delays));
    }
}
