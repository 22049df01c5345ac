using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Ouroboros.Tests.Cli;

/// <summary>
/// The README's install: <c>dotnet pack</c> the CLI, <c>dotnet tool install</c> it from that package,
/// and the installed <c>ouro</c> runs a program in the sandbox, its worker found beside it.
/// </summary>
public sealed class ToolInstallTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-tool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_packed_tool_installs_and_runs_a_sandboxed_program()
    {
        var repo = Repository();
        var packages = Path.Combine(_dir, "packages");
        var tools = Path.Combine(_dir, "tools");
        var (packed, packOut) = await Dotnet(repo, "pack", Path.Combine("src", "ouro"), "-c", "Release", "-o", packages);
        Assert.True(packed == 0, packOut);
        var package = Assert.Single(Directory.GetFiles(packages, "ouro.*.nupkg"));

        var (installed, installOut) = await Dotnet(_dir, "tool", "install", "ouro", "--tool-path", tools, "--add-source", packages);
        Assert.True(installed == 0, installOut);

        var program = Path.Combine(_dir, "hello.cs");
        await File.WriteAllTextAsync(program, "public static class Program { public static string Run() => \"hello from \" + (40 + 2); }");
        var (exit, stdout) = await Run(Path.Combine(tools, "ouro"), _dir, "sandbox", "run", program, "--json");
        Assert.True(exit == 0, $"{Path.GetFileName(package)}: {stdout}");
        var result = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(("ok", "hello from 42", true), ((string?)result["status"], (string?)result["result"], (bool?)result["sandboxed"]));
    }

    /// <summary>The repository this test was built from: the folder above the test's output that holds <c>src/ouro/ouro.csproj</c>.</summary>
    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "src", "ouro", "ouro.csproj"))) return dir.FullName;
        throw new InvalidOperationException($"no repository above {AppContext.BaseDirectory}");
    }

    private static Task<(int Exit, string Output)> Dotnet(string workingDirectory, params string[] args) => Run("dotnet", workingDirectory, args);

    private static async Task<(int Exit, string Output)> Run(string file, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        return (process.ExitCode, await stdout + await stderr);
    }
}
