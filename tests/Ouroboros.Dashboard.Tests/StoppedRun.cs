using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Ouroboros.Dashboard.Tests;

/// <summary>
/// A store made by a real, small, offline <c>ouro stop</c> (two iterations, so the lineage has a
/// candidate the adoption test rejected), its <c>ouro replay</c>, and a small <c>ouro audit</c> (an
/// experiment that contributes its own report section), with <c>ouro dashboard</c> serving it.
/// Shared by the API and browser tests: the three runs take about a minute.
/// </summary>
public sealed class StoppedRun : IAsyncLifetime
{
    public static readonly string[] Small =
        ["--task", "3sat", "--iterations", "2", "--runs", "1", "--max-responses-per-call", "2", "--model-budget", "2", "--seed", "7"];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("ouro-dashboard-").FullName;
    public string Db => Path.Combine(Directory, "runs.db");

    /// <summary>What <c>ouro stop --json</c> reported: the run as the terminal report has it.</summary>
    public JsonObject Report { get; private set; } = null!;
    public string Id => (string)Report["run"]!;
    public string AuditId { get; private set; } = null!;
    public DashboardProcess Dashboard { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync([.. new[] { "stop", "--db", Db, "--json" }, .. Small]);
        Assert.True(exit == 0, stderr);
        Report = JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsObject();
        (exit, _, stderr) = await OuroProcess.RunAsync("replay", Id, "--db", Db);
        Assert.True(exit == 0, stderr);
        (exit, stdout, stderr) = await OuroProcess.RunAsync("audit", "--db", Db, "--samples", "2", "--json");
        Assert.True(exit == 0, stderr);
        AuditId = (string)JsonNode.Parse(OuroProcess.LastLine(stdout))!["run"]!;
        Dashboard = await DashboardProcess.StartAsync(Db);
    }

    public async Task DisposeAsync()
    {
        await Dashboard.DisposeAsync();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Dashboard.Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>The first candidate the adoption test rejected, from the run's own report.</summary>
    public JsonObject Rejected => Report["iterations"]!.AsArray().Select(i => i!.AsObject()).First(i => !(bool)i["adopted"]!);
}

[CollectionDefinition(Name)]
public sealed class StoppedRunCollection : ICollectionFixture<StoppedRun>, ICollectionFixture<Browser>
{
    public const string Name = "a finished offline STOP run, served";
}
