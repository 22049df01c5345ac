using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ouroboros.Tests.Store;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: <c>initdb</c> into a temporary folder (as the
/// <c>postgres</c> user when running as root, since initdb refuses root), a free port on 127.0.0.1,
/// trust authentication (nothing listens beyond loopback), durability off (it is thrown away), and
/// torn down after. Each test gets a fresh database (<see cref="NewDatabase"/>). Where PostgreSQL is
/// not installed, its tests are left out, unless <c>OUROBOROS_REQUIRE_POSTGRES=1</c>, where they fail.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _dir;
    private readonly Lazy<int> _port;

    /// <summary>The server's binaries (initdb, pg_ctl), the newest installed; null when there are none.</summary>
    public static string? BinDir { get; } = Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).FirstOrDefault()
        : null;

    /// <summary>Whether the PostgreSQL tests run here: the server is installed, or CI requires them (and then fails when it cannot start one).</summary>
    public static bool Wanted => BinDir is not null || Environment.GetEnvironmentVariable("OUROBOROS_REQUIRE_POSTGRES") == "1";

    public PostgresServer()
    {
        _dir = Directory.CreateTempSubdirectory("ouro-pg-").FullName;
        _port = new Lazy<int>(Start);
    }

    public int Port => _port.Value;

    /// <summary>A new, empty database on the server, as a <c>--db</c> URI.</summary>
    public string NewDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        Sql($"CREATE DATABASE {name};");
        return $"postgresql://postgres@127.0.0.1:{Port}/{name}";
    }

    /// <summary>Runs SQL as the superuser in <paramref name="database"/>.</summary>
    public void Sql(string sql, string database = "postgres")
    {
        using var c = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false");
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    private int Start()
    {
        var bin = BinDir ?? throw new InvalidOperationException(
            "OUROBOROS_REQUIRE_POSTGRES=1 but PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); apt-get install -y postgresql");
        if (Root) Run("chown", "postgres:", _dir);
        int port = FreePort();
        AsServer(Path.Combine(bin, "initdb"), "-D", Path.Combine(_dir, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-instructions", "--no-sync");
        Launch(port);
        return port;
    }

    private void Launch(int port) =>
        AsServer(Path.Combine(BinDir!, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {_dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start");

    public void Dispose()
    {
        if (_port.IsValueCreated && BinDir is { } bin)
        {
            try { AsServer(Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"); }
            catch (InvalidOperationException) { /* already down: a test stopped it */ }
        }
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Stops the server at once, as a crash or a lost machine would (tests of a server lost mid-run).</summary>
    public void Stop() => AsServer(Path.Combine(BinDir!, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop");

    /// <summary>Starts a stopped server again on its port.</summary>
    public void Restart() => Launch(Port);

    private static bool Root => Environment.UserName == "root";

    private static void AsServer(string tool, params string[] args) =>
        Run(Root ? "runuser" : tool, Root ? ["-u", "postgres", "--", tool, .. args] : args);

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new InvalidOperationException($"{file} hung"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {error}{output.Result}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>A test that needs a PostgreSQL server: left out where none is installed, failed instead when OUROBOROS_REQUIRE_POSTGRES=1.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!PostgresServer.Wanted) Skip = "PostgreSQL is not installed (apt-get install -y postgresql); this test checks the PostgreSQL store";
    }
}
