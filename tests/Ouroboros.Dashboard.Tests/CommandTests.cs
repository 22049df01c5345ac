using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Ouroboros.Store;

namespace Ouroboros.Dashboard.Tests;

/// <summary>
/// <c>ouro dashboard</c>'s refusals, each one line and exit 2 before anything is served: a missing
/// store, a file that is not a store, a newer store, a port in use; and SIGTERM ending it within 5 s.
/// </summary>
public sealed class CommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-dashboard-cmd-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string EmptyStore()
    {
        var db = Path.Combine(_dir, "runs.db");
        RunStore.Open(db).Dispose();
        return db;
    }

    private static void AssertOneLineError(int exit, string stdout, string stderr, string expected)
    {
        Assert.Equal(2, exit);
        Assert.Equal("", stdout); // nothing was served: no URL printed
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("ouro: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task A_missing_store_is_one_line_and_exit_2()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("dashboard", "--db", Path.Combine(_dir, "absent.db"), "--port", "0");
        AssertOneLineError(exit, stdout, stderr, "there is no run store");
        Assert.False(File.Exists(Path.Combine(_dir, "absent.db")));
    }

    [Fact]
    public async Task A_file_that_is_not_a_store_is_one_line_and_exit_2()
    {
        var path = Path.Combine(_dir, "notes.txt");
        await File.WriteAllTextAsync(path, "not a database");
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("dashboard", "--db", path, "--port", "0");
        AssertOneLineError(exit, stdout, stderr, "not an Ouroboros run store");
    }

    [Fact]
    public async Task A_newer_store_is_one_line_and_exit_2()
    {
        var db = EmptyStore();
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE schema_version SET version = version + 1000;";
            cmd.ExecuteNonQuery();
        }
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("dashboard", "--db", db, "--port", "0");
        AssertOneLineError(exit, stdout, stderr, "newer than this Ouroboros understands");
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_and_exit_2()
    {
        var db = EmptyStore();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("dashboard", "--db", db, "--port", port.ToString());
        AssertOneLineError(exit, stdout, stderr, $"cannot listen on 127.0.0.1:{port}");
    }

    [Fact]
    public async Task Sigterm_stops_it_within_5_seconds_with_exit_143()
    {
        var db = EmptyStore();
        await using var dashboard = await DashboardProcess.StartAsync(db);
        using (var response = await dashboard.Http.GetAsync("/api/runs")) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var took = await dashboard.TerminateAsync();
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
        Assert.Equal(143, dashboard.Process.ExitCode);
    }

    [Fact]
    public async Task It_listens_on_127_0_0_1_only()
    {
        var db = EmptyStore();
        await using var dashboard = await DashboardProcess.StartAsync(db);
        Assert.Equal("127.0.0.1", dashboard.Root.Host);
        // Another local address of this machine: nothing answers there.
        using var other = new TcpClient();
        var refused = await Assert.ThrowsAnyAsync<SocketException>(() => other.ConnectAsync(IPAddress.Parse("127.0.0.2"), dashboard.Root.Port));
        Assert.NotNull(refused);
    }
}
