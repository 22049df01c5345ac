using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ouroboros.Models;

/// <summary>
/// A quiet ASP.NET Core app bound to 127.0.0.1 only, never to other interfaces: a model server
/// hands out completions (and may sit in front of a paid key), so it is not for the network.
/// </summary>
public static class LoopbackHost
{
    /// <summary>Starts an app whose endpoints <paramref name="map"/> adds; port 0 picks a free port. Returns the app and its root URL.</summary>
    public static async Task<(WebApplication App, Uri Root)> StartAsync(int port, Action<WebApplication> map, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoSignalLifetime>();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }
}
