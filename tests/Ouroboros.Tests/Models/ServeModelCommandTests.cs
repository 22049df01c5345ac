using System.Diagnostics;
using Ouroboros.Contracts;
using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

/// <summary><c>ouro serve-model</c> as a user runs it: a process serving the offline mutation model over HTTP.</summary>
public class ServeModelCommandTests
{
    [Fact]
    public async Task Serves_the_offline_mutation_model_to_the_OpenAI_provider()
    {
        var ouro = Path.Combine(AppContext.BaseDirectory, "ouro.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", ouro, "serve-model", "--model", "offline", "--port", "0", "--model-seed", "5"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var banner = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(await process.StandardError.ReadToEndAsync());
            Assert.Contains("offline mutation model (not a language model)", banner);
            var baseUrl = banner.Split(' ').Single(w => w.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));

            var client = new OpenAICompatibleChatClient(ModelSpec.Parse($"openai:{baseUrl}#offline"), ApiKeys.Resolve(ModelSpec.Parse($"openai:{baseUrl}#offline"), null, _ => null)!);
            var texts = ChatConventions.Texts(await client.GetResponseAsync(
                Chat.Ask("Improve:\n```csharp\npublic static class A { public static int F(int x) { if (x > 3) return x * 2; else return x + 1; } }\n```"),
                Chat.Options(n: 2)));

            Assert.Equal(2, texts.Count);
            Assert.All(texts, t => Assert.StartsWith("Mutations:", t));
            Assert.All(texts, t => Assert.Empty(MutantCompiler.Errors(MutantCompiler.Parse(CodeBlocks.Largest(t)))));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task SIGTERM_stops_the_server_promptly_with_the_signals_exit_code()
    {
        // The web host's console lifetime used to take SIGTERM for itself: the server stopped
        // answering but the process ran on until it was killed, which a cluster scheduler does
        // only after its grace period.
        var ouro = Path.Combine(AppContext.BaseDirectory, "ouro.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", ouro, "serve-model", "--model", "offline", "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var banner = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(await process.StandardError.ReadToEndAsync());
            Assert.Contains("Serving", banner);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
            using var within = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(within.Token);
            Assert.Equal(128 + 15, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
