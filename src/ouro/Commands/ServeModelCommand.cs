using System.CommandLine;
using Ouroboros.Models;

namespace Ouroboros.Cli.Commands;

/// <summary><c>ouro serve-model</c>: serve any model, the offline mutation model included, as an OpenAI-compatible endpoint on 127.0.0.1.</summary>
public static class ServeModelCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "The port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 8000 };
        var latency = new Option<int>("--latency-ms") { Description = "Answer every request this many milliseconds late, as a hosted model would (0: at once).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("serve-model", "Serve a model as an OpenAI-compatible /v1/chat/completions on 127.0.0.1.");
        var model = new ModelOptions().AddTo(cmd);
        cmd.Options.Add(port);
        cmd.Options.Add(latency);
        cmd.SetAction(async (parse, ct) =>
        {
            var settings = model.Read(parse);
            int p = parse.GetValue(port);
            if (p is < 0 or > 65535) throw new UserError($"--port must be between 0 and 65535; got {p}.");
            int delay = parse.GetValue(latency);
            if (delay is < 0 or > 600_000) throw new UserError($"--latency-ms must be between 0 and 600000; got {delay}.");
            // The delay is outside the concurrency limit: a slow hosted model keeps many requests waiting at once.
            using var provider = new DelayChatClient(new ConcurrencyLimitChatClient(ModelOptions.Provider(settings), settings.MaxConcurrentRequests), TimeSpan.FromMilliseconds(delay));
            ModelServer server;
            try { server = await ModelServer.StartAsync(provider, settings.Spec.ToString(), p, ct); }
            catch (IOException e) { throw new UserError($"cannot listen on 127.0.0.1:{p} ({e.Message}); pick another --port."); }
            await using (server)
            {
                var what = settings.Spec.Provider == ModelProvider.Offline ? "the offline mutation model (not a language model)" : settings.Spec.ToString();
                Console.WriteLine($"Serving {what} at {server.BaseUrl} as model '{settings.Spec}'. Ctrl-C stops.");
                try { await Task.Delay(Timeout.Infinite, ct); }
                catch (OperationCanceledException) { }
                Console.Error.WriteLine($"ouro: served {server.Served} requests, at most {server.MaxInFlight} in flight at once.");
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
