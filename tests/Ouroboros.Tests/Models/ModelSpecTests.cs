using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

public class ModelSpecTests
{
    [Theory]
    [InlineData("offline", ModelProvider.Offline, "offline-mutation", null)]
    [InlineData("openai:gpt-4o", ModelProvider.OpenAI, "gpt-4o", null)]
    [InlineData("openai:http://127.0.0.1:8000/v1#qwen2.5-coder", ModelProvider.OpenAI, "qwen2.5-coder", "http://127.0.0.1:8000/v1")]
    [InlineData("anthropic:claude-sonnet-4-5", ModelProvider.Anthropic, "claude-sonnet-4-5", null)]
    [InlineData("openai:ft:gpt-4o-mini:acme::abc123", ModelProvider.OpenAI, "ft:gpt-4o-mini:acme::abc123", null)]
    public void Parses_the_accepted_forms(string text, ModelProvider provider, string model, string? baseUrl)
    {
        var spec = ModelSpec.Parse(text);
        Assert.Equal(provider, spec.Provider);
        Assert.Equal(model, spec.Model);
        Assert.Equal(baseUrl, spec.BaseUrl?.OriginalString);
        Assert.Equal(text, spec.ToString());
    }

    [Theory]
    [InlineData("", "no model given")]
    [InlineData("gpt4", "unknown model provider 'gpt4'")]
    [InlineData("mistral:large", "unknown model provider 'mistral'")]
    [InlineData("openai:", "model name is missing")]
    [InlineData("openai:http://127.0.0.1:8000/v1", "needs #MODEL")]
    [InlineData("openai:ftp://host/v1#m", "not an http(s) URL")]
    [InlineData("openai:http://127.0.0.1:8000/v1#", "model name is missing")]
    [InlineData("anthropic:", "anthropic takes a model name")]
    [InlineData("anthropic:http://x#claude", "anthropic takes a model name")]
    public void Malformed_specs_are_one_line_errors_listing_the_accepted_forms(string text, string why)
    {
        var e = Assert.Throws<FormatException>(() => ModelSpec.Parse(text));
        Assert.Contains(why, e.Message);
        Assert.Contains(ModelSpec.AcceptedForms, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
