using System.Text.Json.Nodes;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tests.Stop;
using Ouroboros.Tests.Store;
using Ouroboros.Cli.Commands;

namespace Ouroboros.Tests.Cli;

/// <summary>
/// <c>ouro</c> with <c>--db postgresql://...</c>, as a user runs it: a STOP run and its replay, a
/// SQLite run copied into PostgreSQL with every hash and score, and the server's refusals as one line with their exit codes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCommandTests(PostgresServer server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-pgcli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [PostgresFact]
    public async Task A_stop_run_in_postgres_replays_identically_and_every_reader_finds_it()
    {
        var db = server.NewDatabase();
        var (exit, stdout, stderr) = await OuroProcess.RunAsync([.. new[] { "stop", "--db", db, "--json" }, .. FinishedStopRun.Small]);
        Assert.True(exit == 0, stderr);
        var run = (string)JsonNode.Parse(OuroProcess.LastLine(stdout))!["run"]!;

        (exit, stdout, stderr) = await OuroProcess.RunAsync("replay", run, "--db", db, "--json");
        Assert.True(exit == 0, stderr);
        var replay = JsonNode.Parse(OuroProcess.LastLine(stdout))!;
        Assert.True((bool)replay["identical"]!, replay["mismatches"]!.ToJsonString());

        foreach (var args in new[] { new[] { "runs", "--json" }, ["report", run, "--json"], ["lineage", run, "--json"], ["store", "check", "--json"] })
        {
            (exit, stdout, stderr) = await OuroProcess.RunAsync([.. args, "--db", db]);
            Assert.True(exit == 0, $"{string.Join(' ', args)}: {stderr}");
            Assert.Contains(args[0] == "store" ? "\"ok\":true" : run, stdout);
        }
    }

    [PostgresFact]
    public async Task A_sqlite_run_copied_into_postgres_keeps_every_hash_and_score_and_replays()
    {
        var sqlite = Path.Combine(_dir, "laptop.db");
        var (exit, stdout, stderr) = await OuroProcess.RunAsync([.. new[] { "stop", "--db", sqlite, "--json" }, .. FinishedStopRun.Small]);
        Assert.True(exit == 0, stderr);
        var run = (string)JsonNode.Parse(OuroProcess.LastLine(stdout))!["run"]!;
        var pg = server.NewDatabase();

        (exit, stdout, stderr) = await OuroProcess.RunAsync("store", "copy", "--from", sqlite, "--to", pg, "--run", run[..12], "--json");
        Assert.True(exit == 0, stderr);
        Assert.True((int)JsonNode.Parse(OuroProcess.LastLine(stdout))!["runs"]![0]!["rowsWritten"]! > 0);
        (exit, stdout, stderr) = await OuroProcess.RunAsync("store", "copy", "--from", sqlite, "--to", pg, "--json");
        Assert.True(exit == 0, stderr);
        Assert.Equal(0, (int)JsonNode.Parse(OuroProcess.LastLine(stdout))!["runs"]![0]!["rowsWritten"]!);

        using (var from = RunStores.OpenExisting(sqlite))
        using (var to = RunStores.OpenExisting(pg))
        {
            Assert.Equal(Scores(from, run), Scores(to, run));
            Assert.NotEmpty(Scores(from, run));
            Assert.Equal(from.Ledger(run).All().Count, to.Ledger(run).All().Count);
        }
        (exit, stdout, stderr) = await OuroProcess.RunAsync("replay", run, "--db", pg, "--json");
        Assert.True(exit == 0, stderr);
        Assert.True((bool)JsonNode.Parse(OuroProcess.LastLine(stdout))!["identical"]!);
    }

    [PostgresFact]
    public async Task A_store_ouro_cannot_use_is_one_line_with_its_exit_code_and_nothing_is_written()
    {
        var newer = server.NewDatabase();
        using (var store = RunStores.Open(newer)) { }
        server.Sql("UPDATE schema_version SET version = 99;", newer[(newer.LastIndexOf('/') + 1)..]);
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        int closedPort = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var cases = new (string Db, int Exit, string Says)[]
        {
            ($"postgresql://postgres:hunter2@127.0.0.1:{server.Port}/x", ExitCodes.BadInput, "set PGPASSWORD"),
            ("postgresql://127.0.0.1", ExitCodes.BadInput, "names no database"),
            ($"postgresql://postgres@127.0.0.1:{closedPort}/x", ExitCodes.StoreUnreachable, "cannot reach the PostgreSQL server"),
            ($"postgresql://nobody@127.0.0.1:{server.Port}/postgres", ExitCodes.StoreUnreachable, "refused user 'nobody'"),
            ($"postgresql://postgres@127.0.0.1:{server.Port}/no_such_db", ExitCodes.BadInput, "createdb"),
            (newer, ExitCodes.BadInput, "has schema version 99, newer than this Ouroboros understands"),
        };
        foreach (var (db, code, says) in cases)
            foreach (var args in new[] { new[] { "stop", "--task", "3sat", "--db", db }, ["runs", "--db", db], ["store", "copy", "--from", Path.Combine(_dir, "none.db"), "--to", db] })
            {
                var (exit, _, stderr) = await OuroProcess.RunAsync(args);
                var line = stderr.Trim();
                if (args[0] == "store") { Assert.Equal(ExitCodes.BadInput, exit); continue; } // the missing source is named first
                Assert.True(exit == code, $"{string.Join(' ', args)}: exit {exit}, {stderr}");
                Assert.Single(line.Split('\n'));
                Assert.StartsWith("ouro: ", line);
                Assert.Contains(says, line);
                Assert.DoesNotContain("hunter2", line);
            }
        using var c = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={server.Port};Username=postgres;Database={newer[(newer.LastIndexOf('/') + 1)..]};Pooling=false");
        c.Open();
        using var cmd = new Npgsql.NpgsqlCommand("SELECT (SELECT version FROM schema_version), (SELECT COUNT(*) FROM runs);", c);
        using var r = cmd.ExecuteReader();
        r.Read();
        Assert.Equal((99, 0L), (r.GetInt32(0), r.GetInt64(1)));
    }

    [PostgresFact]
    public async Task A_server_lost_mid_run_is_exit_6_and_the_run_resumes_once_it_is_back()
    {
        using var own = new PostgresServer(); // its own server: stopping it must not stop the others' tests
        var db = own.NewDatabase();
        using var process = OuroProcess.Start([.. new[] { "stop", "--db", db, "--json", "--task", "3sat", "--iterations", "3", "--runs", "2", "--seed", "7" }]);
        var stderr = process.StandardError.ReadToEndAsync();
        // Wait for the run to be under way (its first evaluation stored), then take the server away.
        // Open, not OpenExisting: the run may not have created the tables yet, and migrating is safe from two processes.
        using (var store = RunStores.Open(db))
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (store.Journal.Runs() is not [var r] || store.Evaluations.EvaluationCount(r.Id) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "the run never stored an evaluation");
                await Task.Delay(100);
            }
        }
        Npgsql.NpgsqlConnection.ClearAllPools();
        own.Stop();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        var said = await stderr;
        Assert.True(process.ExitCode == ExitCodes.StoreUnreachable, said);
        Assert.Contains("cannot reach the PostgreSQL server", said);

        own.Restart();
        string run;
        using (var store = RunStores.OpenExisting(db)) run = Assert.Single(store.Journal.Runs()).Id;
        var (exit, stdout, err) = await OuroProcess.RunAsync("stop", "--db", db, "--resume", run, "--json");
        Assert.True(exit == 0, err);
        Assert.Equal(run, (string)JsonNode.Parse(OuroProcess.LastLine(stdout))!["run"]!);
    }

    /// <summary>The run's programs with their lineage and scores, and its iterations: what a copy must not change.</summary>
    private static List<string> Scores(IRunStore store, string run) =>
    [
        .. store.Programs.ProgramsOf(run).Select(p => $"{p.Hash} {p.Kind} {p.ParentHash} {p.Val:R} {p.Test:R} {store.Programs.ProgramSource(p.Hash)!.Length}"),
        .. new IterationTable(store).Iterations(run).Select(i => $"{i.T} {i.ImproverHash} {i.Val:R} {i.Test:R} {i.Adopted} {string.Join(',', i.ValRuns)}"),
    ];
}
