using Ouroboros.Models;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// Before a run starts, makes sure an OpenAI-compatible endpoint answers at all (GET /models, no
/// tokens spent), so a typo in a base URL is a one-line error, not a run full of failed calls.
/// </summary>
internal static class ModelReachability
{
    public static void Check(ModelSpec spec)
    {
        if (spec.Provider != ModelProvider.OpenAI || spec.BaseUrl is null) return;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var url = new Uri(spec.BaseUrl.ToString().TrimEnd('/') + "/models");
        try
        {
            using var response = http.GetAsync(url).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new UserError($"cannot reach the model at {spec.BaseUrl} ({e.Message}); is the server running? (try 'ouro serve-model --model offline --port 8000' to test)");
        }
    }
}
