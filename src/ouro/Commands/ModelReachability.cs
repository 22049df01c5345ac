using System.Net;
using System.Text.Json.Nodes;
using Ouroboros.Models;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// Before a run starts, makes sure its model is there: the server answers, takes the key and knows
/// the model. Otherwise a run would spend minutes retrying calls that cannot succeed and end with
/// every score zero; here it is a one-line error (exit 2) naming the URL, the model and what to do:
/// no answer within seconds, no connection, a refused key (401, 403), no such model or endpoint (404).
/// Cheap: the models endpoints spend no tokens. Only when an OpenAI-compatible server's
/// <c>/models</c> does not list the model (some servers lack it, some serve any name) is one
/// completion of one token asked for. The check goes through the same proxy as the run
/// (<c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>, <c>NO_PROXY</c>), so a user behind one is checked as
/// the run will call. Rate limits and a provider's server errors are left to the run's retries.
/// </summary>
internal static class ModelReachability
{
    /// <summary>How long the models endpoint may take: it does no work.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    /// <summary>How long the one-token completion may take (a server may load the model first).</summary>
    private static readonly TimeSpan CompletionPatience = TimeSpan.FromSeconds(30);

    public static void Check(ModelSpec spec, string? keyVariable)
    {
        if (spec.Provider is ModelProvider.Offline or ModelProvider.Scripted) return;
        var key = ApiKeys.Resolve(spec, keyVariable) ?? "";
        var variable = string.IsNullOrWhiteSpace(keyVariable) ? ApiKeys.DefaultVariable(spec.Provider) : keyVariable.Trim();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var check = new Probe(http, spec, key, variable);
        if (spec.Provider == ModelProvider.Anthropic) check.Anthropic();
        else if (spec.BaseUrl is null) check.OpenAI();
        else check.Compatible(spec.BaseUrl);
    }

    private sealed class Probe(HttpClient http, ModelSpec spec, string key, string variable)
    {
        /// <summary>The provider's own models endpoint for one model: 404 means no such model for this key.</summary>
        public void OpenAI()
        {
            var url = $"https://api.openai.com/v1/models/{Uri.EscapeDataString(spec.Model)}";
            var answer = Send(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "Authorization", $"Bearer {key}" } } }, "api.openai.com", Patience);
            Judge(answer, "api.openai.com", $"OpenAI has no model '{spec.Model}' this key may use");
        }

        public void Anthropic()
        {
            var url = $"https://api.anthropic.com/v1/models/{Uri.EscapeDataString(spec.Model)}";
            var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "x-api-key", key }, { "anthropic-version", "2023-06-01" } } };
            Judge(Send(request, "api.anthropic.com", Patience), "api.anthropic.com", $"Anthropic has no model '{spec.Model}'");
        }

        /// <summary><c>/models</c> listing the model settles it; else one one-token completion does.</summary>
        public void Compatible(Uri baseUrl)
        {
            var root = baseUrl.ToString().TrimEnd('/');
            var listing = Send(Authorized(new HttpRequestMessage(HttpMethod.Get, root + "/models")), root, Patience);
            if (listing.Status == HttpStatusCode.OK && Ids(listing.Body).Contains(spec.Model)) return;
            var probe = new JsonObject
            {
                ["model"] = spec.Model, ["max_tokens"] = 1,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Say OK." }),
            };
            var completion = Send(Authorized(new HttpRequestMessage(HttpMethod.Post, root + "/chat/completions")
            {
                Content = new StringContent(probe.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            }), root, CompletionPatience);
            var served = listing.Status == HttpStatusCode.OK && Ids(listing.Body) is { Count: > 0 } ids ? $" (it serves {string.Join(", ", ids.Take(5))}{(ids.Count > 5 ? ", ..." : "")})" : "";
            Judge(completion, root, $"no model '{spec.Model}' answers at {root}/chat/completions{served}; check the base URL (it usually ends in /v1) and the model name after '#'", strict: true);
        }

        private HttpRequestMessage Authorized(HttpRequestMessage request)
        {
            request.Headers.Add("Authorization", $"Bearer {key}");
            return request;
        }

        private sealed record Answer(HttpStatusCode Status, string Body);

        private Answer Send(HttpRequestMessage request, string where, TimeSpan patience)
        {
            using var timeout = new CancellationTokenSource(patience);
            try
            {
                using var response = http.Send(request, timeout.Token);
                using var reader = new StreamReader(response.Content.ReadAsStream(timeout.Token));
                return new Answer(response.StatusCode, reader.ReadToEnd());
            }
            catch (Exception e) when (e is OperationCanceledException && timeout.IsCancellationRequested)
            {
                throw Error($"the model at {where} did not answer within {patience.TotalSeconds:0} s; is the server running and serving? {Hint(where)}");
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                throw Error($"cannot reach the model at {where} ({Innermost(e)}); {Hint(where)}");
            }
            finally { request.Dispose(); }
        }

        /// <summary>What to try when the server is not there: start it, or check the network and proxy.</summary>
        private string Hint(string where) => spec.BaseUrl is { IsLoopback: true }
            ? "start it, or try 'ouro serve-model --model offline --port 8000' to test"
            : $"check the network, or set HTTPS_PROXY if {HostOf(where)} is reached through a proxy";

        private void Judge(Answer answer, string where, string missing, bool strict = false)
        {
            int status = (int)answer.Status;
            string said = $"HTTP {status}: {Said(answer.Body)}";
            if (status is 401 or 403)
                throw Error($"{where} refused the key in {variable} for {spec} ({said}); check the key, or name another variable with --model-key-env");
            if (status is 404 or 405 or 410 or 501) throw Error($"{missing} ({said})");
            // A server that neither lists the model nor serves it now is not one to start a run on.
            if (strict && status >= 500) throw Error($"{where} answered a request to {spec.Model} with {said}; try again once it serves");
        }

        private UserError Error(string message) => new(OneLine(SecretRedactor.Redact(message, key)));

        private static string HostOf(string where) => Uri.TryCreate(where, UriKind.Absolute, out var u) ? u.Host : where;
    }

    private static IReadOnlyList<string> Ids(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["data"] is JsonArray data
                ? data.Select(m => m?["id"]?.GetValue<string>()).OfType<string>().ToList()
                : [];
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException) { return []; }
    }

    /// <summary>What the server said, short: its error message, not a page of HTML.</summary>
    private static string Said(string body)
    {
        if (body.TrimStart().StartsWith('<')) return "an HTML page, not an API's answer";
        var message = OpenAIWire.ErrorMessage(body);
        return message.Length > 200 ? message[..200] + "…" : message;
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e.Message;
    }

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length > 600 ? line[..600] + "…" : line;
    }
}
