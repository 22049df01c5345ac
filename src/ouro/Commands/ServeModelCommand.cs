using System.CommandLine;
using Ouroboros.Models;

namespace Ouroboros.Cli.Commands;

/// <summary><c>ouro serve-model</c>: serve any model, the offline mutation model included, as an OpenAI-compatible endpoint on 127.0.0.1.</summary>
public static class ServeModelCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"The model to serve: {ModelSpec.AcceptedForms}.", DefaultValueFactory = _ => "offline" };
        var port = new Option<int>("--port") { Description = "The port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 8000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the offline mutation model.", DefaultValueFactory = _ => 0 };
        var keyEnv = new Option<string?>("--key-env") { Description = "Environment variable holding the provider's API key, if not the provider's default." };
        var cmd = new Command("serve-model", "Serve a model as an OpenAI-compatible /v1/chat/completions on 127.0.0.1.");
        cmd.Options.Add(model);
        cmd.Options.Add(port);
        cmd.Options.Add(seed);
        cmd.Options.Add(keyEnv);
        cmd.SetAction(async (parse, ct) =>
        {
            var spec = ParseSpec(parse.GetValue(model));
            int p = parse.GetValue(port);
            if (p is < 0 or > 65535) throw new UserError($"--port must be between 0 and 65535; got {p}.");
            string? key;
            try { key = ApiKeys.Resolve(spec, parse.GetValue(keyEnv)); }
            catch (ModelConfigurationException e) { throw new UserError(e.Message); }
            using var provider = ModelPipeline.Provider(spec, key, seed: parse.GetValue(seed));
            ModelServer server;
            try { server = await ModelServer.StartAsync(provider, spec.ToString(), p, ct); }
            catch (IOException e) { throw new UserError($"cannot listen on 127.0.0.1:{p} ({e.Message}); pick another --port."); }
            await using (server)
            {
                var what = spec.Provider == ModelProvider.Offline ? "the offline mutation model (not a language model)" : spec.ToString();
                Console.WriteLine($"Serving {what} at {server.BaseUrl} as model '{spec}'. Ctrl-C stops.");
                try { await Task.Delay(Timeout.Infinite, ct); }
                catch (OperationCanceledException) { }
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>A model spec from the command line, or a one-line <see cref="UserError"/> listing the accepted forms.</summary>
    public static ModelSpec ParseSpec(string? text) =>
        ModelSpec.TryParse(text, out var spec, out var error) ? spec : throw new UserError(error);
}
