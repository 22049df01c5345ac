using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

public class ApiKeysTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Keys_come_from_the_provider_variable_or_the_configured_one()
    {
        Assert.Equal("sk-openai", ApiKeys.Resolve(ModelSpec.Parse("openai:gpt-4o"), null, Env(("OPENAI_API_KEY", "sk-openai"))));
        Assert.Equal("sk-ant", ApiKeys.Resolve(ModelSpec.Parse("anthropic:claude"), null, Env(("ANTHROPIC_API_KEY", "sk-ant"))));
        Assert.Equal("gw", ApiKeys.Resolve(ModelSpec.Parse("openai:https://gw.example/v1#m"), "MY_GATEWAY_KEY", Env(("MY_GATEWAY_KEY", "gw"))));
        Assert.Null(ApiKeys.Resolve(ModelSpec.Parse("offline"), null, Env()));
    }

    [Fact]
    public void A_missing_key_names_the_variable_to_set()
    {
        var e = Assert.Throws<ModelConfigurationException>(() => ApiKeys.Resolve(ModelSpec.Parse("anthropic:claude"), null, Env(("OPENAI_API_KEY", "sk-x"))));
        Assert.Contains("ANTHROPIC_API_KEY", e.Message);
        var custom = Assert.Throws<ModelConfigurationException>(() => ApiKeys.Resolve(ModelSpec.Parse("openai:gpt-4o"), "TEAM_KEY", Env(("OPENAI_API_KEY", "sk-x"))));
        Assert.Contains("TEAM_KEY", custom.Message);
        Assert.DoesNotContain("sk-x", custom.Message);
    }

    [Fact]
    public void A_local_server_needs_no_key_but_a_remote_one_does()
    {
        Assert.Equal(ApiKeys.LocalPlaceholder, ApiKeys.Resolve(ModelSpec.Parse("openai:http://127.0.0.1:8000/v1#qwen"), null, Env()));
        Assert.Equal(ApiKeys.LocalPlaceholder, ApiKeys.Resolve(ModelSpec.Parse("openai:http://localhost:11434/v1#llama"), null, Env()));
        Assert.Throws<ModelConfigurationException>(() => ApiKeys.Resolve(ModelSpec.Parse("openai:http://10.0.0.5:8000/v1#qwen"), null, Env()));
    }

    [Fact]
    public void Redaction_removes_the_key_and_key_like_strings()
    {
        var text = SecretRedactor.Redact("Incorrect API key provided: sk-proj-abc***wxyz. Also my-secret-key leaked.", "my-secret-key");
        Assert.DoesNotContain("sk-proj", text);
        Assert.DoesNotContain("my-secret-key", text);
        Assert.Contains(SecretRedactor.Mask, text);
    }
}
