using Microsoft.Extensions.AI;
using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

public class OpenAIWireTests
{
    [Fact]
    public void A_request_written_by_the_client_reads_back_the_same_on_the_server()
    {
        var options = ChatConventions.With(new ChatOptions { Temperature = 0.25f, MaxOutputTokens = 300, TopP = 0.5f, Seed = 7, Instructions = "Be brief." }, ChatConventions.CountKey, 3);

        foreach (bool official in new[] { false, true })
        {
            var body = OpenAIWire.Request("m", Chat.Ask("improve"), options, 3, 1024, official);
            Assert.NotNull(body[official ? "max_completion_tokens" : "max_tokens"]);
            var (messages, read) = OpenAIWire.ParseRequest(body.ToJsonString());

            Assert.Equal(["system", "system", "user"], messages.Select(m => m.Role.Value));
            Assert.Equal(["Be brief.", "You are an expert.", "improve"], messages.Select(m => m.Text));
            Assert.Equal((0.25f, 300, 0.5f, 7L, 3), (read.Temperature, read.MaxOutputTokens, read.TopP, read.Seed, ChatConventions.Count(read)));
        }
    }

    [Fact]
    public void One_completion_is_sent_without_n_for_servers_that_reject_it()
    {
        Assert.Null(OpenAIWire.Request("m", Chat.Ask("x"), null, 1, 1024)["n"]);
        Assert.Equal(1024, (int)OpenAIWire.Request("m", Chat.Ask("x"), null, 1, 1024)["max_tokens"]!);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stream":true}""", "'stream' is not supported")]
    [InlineData("""{"messages":[{"role":"robot","content":"x"}]}""", "'role'")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url"}]}]}""", "only text content parts")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"n":2.5}""", "'n' must be an integer")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"temperature":"hot"}""", "'temperature' must be a number")]
    public void Requests_the_server_cannot_serve_are_refused_with_a_reason(string body, string reason)
    {
        Assert.Contains(reason, Assert.Throws<FormatException>(() => OpenAIWire.ParseRequest(body)).Message);
    }

    [Fact]
    public void Text_parts_are_joined()
    {
        var (messages, _) = OpenAIWire.ParseRequest("""{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}""");
        Assert.Equal("ab", Assert.Single(messages).Text);
    }
}
