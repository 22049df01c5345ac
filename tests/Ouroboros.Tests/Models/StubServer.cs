using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ouroboros.Tests.Models;

/// <summary>A real HTTP server on 127.0.0.1 whose every answer a test scripts: a misbehaving provider.</summary>
internal sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    public List<string> Bodies { get; } = [];
    /// <summary>Each request's headers, copied (Kestrel reuses its own).</summary>
    public List<Dictionary<string, string>> Headers { get; } = [];
    public int Requests => Volatile.Read(ref _requests);
    public Uri BaseUrl { get; private set; } = null!;

    private StubServer(WebApplication app) => _app = app;

    /// <param name="handle">Answers request number (from 1) given its body.</param>
    public static async Task<StubServer> StartAsync(Func<int, string, HttpContext, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new StubServer(app);
        app.Run(async context =>
        {
            string body;
            using (var reader = new StreamReader(context.Request.Body)) body = await reader.ReadToEndAsync();
            int n;
            lock (stub.Bodies)
            {
                stub.Bodies.Add(body);
                stub.Headers.Add(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
                n = Interlocked.Increment(ref stub._requests);
            }
            await handle(n, body, context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.BaseUrl = new Uri(new Uri(address), "/v1");
        return stub;
    }

    public static Task Json(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
