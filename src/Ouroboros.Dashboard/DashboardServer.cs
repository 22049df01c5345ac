using Microsoft.AspNetCore.Builder;
using Ouroboros.Models;
using Ouroboros.Store;

namespace Ouroboros.Dashboard;

/// <summary>
/// The dashboard: the JSON API (<see cref="DashboardApi"/>) and the pages that use it, served on
/// 127.0.0.1 only over a store it only reads. What a run recorded can include its programs' sources
/// and model traffic, so it is for the person at this machine, not for the network.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <summary>The root URL, e.g. <c>http://127.0.0.1:8321/</c>.</summary>
    public Uri Root { get; }

    private DashboardServer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>Starts serving <paramref name="store"/> on <paramref name="port"/> (0 picks a free one); an <see cref="IOException"/> when the port is taken.</summary>
    public static async Task<DashboardServer> StartAsync(IRunStore store, int port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (app, root) = await LoopbackHost.StartAsync(port, web =>
        {
            LoopbackHostsOnly.Use(web);
            DashboardApi.Map(web, store);
            StaticAssets.Map(web);
        }, cancellationToken).ConfigureAwait(false);
        return new DashboardServer(app, root);
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
