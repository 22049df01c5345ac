using System.CommandLine;
using Ouroboros.Dashboard;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro dashboard [--db STORE] [--port N]</c>: the web pages over a store (runs, lineage, programs
/// and their diffs, evaluations, safety events, the model ledger) on 127.0.0.1, reading it only.
/// A store that cannot be read or a port in use is a one-line error before anything is served.
/// </summary>
public static class DashboardCommand
{
    public const int DefaultPort = 8321;

    public static Command Create()
    {
        var db = StoreAccess.DbOption();
        var port = new Option<int>("--port") { Description = $"The port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => DefaultPort };
        var cmd = new Command("dashboard", "Serve web pages over the store's runs on 127.0.0.1 (read-only).") { db, port };
        cmd.SetAction(async (parse, ct) =>
        {
            int p = parse.GetValue(port);
            if (p is < 0 or > 65535) throw new UserError($"--port must be between 0 and 65535; got {p}.");
            var path = parse.GetValue(db)!;
            using var store = StoreAccess.OpenForReading(path);
            DashboardServer server;
            try { server = await DashboardServer.StartAsync(store, p, ct); }
            catch (IOException e) { throw new UserError($"cannot listen on 127.0.0.1:{p} ({e.Message}); pick another --port."); }
            await using (server)
            {
                Console.WriteLine($"Dashboard of {path} at {server.Root} (read-only). Ctrl-C stops.");
                try { await Task.Delay(Timeout.Infinite, ct); }
                catch (OperationCanceledException) { }
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
