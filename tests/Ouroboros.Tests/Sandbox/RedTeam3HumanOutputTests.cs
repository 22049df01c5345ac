using Ouroboros.Stop;
using System.Text.Json.Nodes;
using Ouroboros.Models;
using Ouroboros.Reporting;
using Ouroboros.Store;
using Ouroboros.Tests.Cli;
using Ouroboros.Tests.Models;
using Ouroboros.Tests.Tasks;

namespace Ouroboros.Tests.Sandbox;

/// <summary>
/// Third red-team round, human output (issue 8, class 8): <c>ouro sandbox run</c> printed a
/// program's stdout and exception text raw, so its escape sequences retitled the terminal and
/// overwrote lines; and a provider's error body that echoed the API key reversed or masked reached
/// the sandbox, because only exact copies of the key were redacted.
/// </summary>
public sealed class RedTeam3HumanOutputTests : IDisposable
{
    /// <summary>Sets the terminal's title, erases the line after a carriage return, and reverses the text's direction.</summary>
    private const string Attack = @"\u001b]0;pwned\u0007\r\u001b[2Kall tests passed\u202e";

    private readonly string _scratch = Directory.CreateTempSubdirectory("ouro-human-").FullName;

    private static void AssertNoControls(string output)
    {
        foreach (char c in "\u001b\u0007\r\u202e\u009b")
            Assert.DoesNotContain(c, output.Replace(Environment.NewLine, "\n"));
    }

    [Fact]
    public async Task Sandbox_run_shows_a_program_s_escape_sequences_as_text_in_its_stdout_and_its_error()
    {
        var file = Path.Combine(_scratch, "attack.cs");
        await File.WriteAllTextAsync(file, $$"""
            public static class Program
            {
                public static int Run()
                {
                    Console.Write("{{Attack}}");
                    throw new InvalidOperationException("{{Attack}}");
                }
            }
            """);
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("sandbox", "run", file);

        Assert.True(exit == 0, stderr);
        AssertNoControls(stdout);
        Assert.Contains(@"stdout: \u001B]0;pwned\u0007\u000D\u001B[2Kall tests passed\u202E", stdout);
        Assert.Contains(@"error: ", stdout);
        Assert.Equal(2, stdout.Split(@"\u001B]0;pwned").Length - 1); // the stdout and the exception, both shown
    }

    [Fact]
    public async Task Eval_shows_a_solution_s_exception_text_escaped()
    {
        var file = Path.Combine(_scratch, "solution.cs");
        await File.WriteAllTextAsync(file, TaskTesting.Solution("int[] Algorithm(int[][] trainSamples, int[] trainParity, int[][] testSamples)",
            $"throw new InvalidOperationException(\"{Attack}\");"));
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("eval", "--task", "parity", "--solution", file);

        Assert.True(exit == 0, stderr);
        AssertNoControls(stdout);
        Assert.Contains(@"\u001B]0;pwned", stdout);
    }

    [Fact]
    public void Report_tables_show_an_improver_s_error_in_an_iteration_reason_escaped()
    {
        using var store = RunStore.InMemory();
        var records = store;
        records.Journal.CreateRun("r", "stop", new JsonObject { ["task"] = "lpn" });
        new IterationTable(records).PutIteration(new IterationRow("r", 0, new string('a', 64), 0.5, 0.5, [0.5], [0.5], true, "seed"));
        new IterationTable(records).PutIteration(new IterationRow("r", 1, new string('b', 64), 0, 0, [0], [0], false,
            "kept the current improver: the improver run ended Error (\u001b]0;pwned\u0007)"));

        var report = RunReportBuilder.Build(store, "r")!;
        var reason = ReportSections.Of(report)[0].Rows[1][^1];
        AssertNoControls(reason);
        Assert.Contains(@"\u001B]0;pwned\u0007", reason);
        AssertNoControls(MarkdownReport.Render(report));
    }

    [Fact]
    public void Printable_text_keeps_newlines_and_tabs_and_escapes_every_other_control()
    {
        Assert.Equal("a\tb\nc", Printable.Text("a\tb\nc"));
        Assert.Equal(@"\u001B[2J\u000D\u009B\u007F\u202E\u2066", Printable.Text("\u001b[2J\r\u009b\u007f\u202e\u2066"));
        Assert.Equal("plain ünïcode 😀", Printable.Text("plain ünïcode 😀"));
    }

    [Fact]
    public async Task A_provider_error_echoing_the_key_reversed_masked_or_in_part_never_carries_it()
    {
        const string key = "sk-proj-Ab3dE5gH7jK9mN1pQ3sT5vX7zB9wxyz";
        var reversed = new string(key.Reverse().ToArray());
        var echoes = new[]
        {
            $"reversed: {reversed}.",
            $"masked: {key[..5]}...{key[^4..]} and {key[..8]}****{key[^4..]}.",
            $"start: {key[..12]} end: {key[^10..]}; reversed end: {reversed[^9..]}.",
            $"bare, without the prefix: {key[3..]}.",
        };
        await using var stub = await StubServer.StartAsync((n, _, c) =>
            StubServer.Json(c, OpenAIWire.Error($"Incorrect API key provided. {echoes[(n - 1) % echoes.Length]}", "invalid_request_error").ToJsonString(), 401));
        var client = new OpenAICompatibleChatClient(ModelSpec.Parse($"openai:{stub.BaseUrl}#m"), key);

        for (int i = 0; i < echoes.Length; i++)
        {
            var fault = await Assert.ThrowsAsync<ModelFaultException>(() => client.GetResponseAsync(Chat.Ask("x"), Chat.Options()));
            Assert.Contains("Incorrect API key provided", fault.Message);
            Assert.Contains(SecretRedactor.Mask, fault.Message);
            foreach (var secret in new[] { key[3..9], key[^6..], reversed[..6], reversed[^6..], "Ab3dE5", "B9wxyz" })
                Assert.DoesNotContain(secret, fault.ToString());
        }
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
