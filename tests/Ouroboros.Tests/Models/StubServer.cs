using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ouroboros.Models;

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
    public required Uri BaseUrl { get; init; }

    private StubServer(WebApplication app) => _app = app;

    /// <param name="handle">Answers request number (from 1) given its body.</param>
    public static async Task<StubServer> StartAsync(Func<int, string, HttpContext, Task> handle)
    {
        StubServer? stub = null;
        var (app, root) = await LoopbackHost.StartAsync(0, web => web.Run(async context =>
        {
            string body;
            using (var reader = new StreamReader(context.Request.Body)) body = await reader.ReadToEndAsync();
            int n;
            lock (stub!.Bodies)
            {
                stub.Bodies.Add(body);
                stub.Headers.Add(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
                n = Interlocked.Increment(ref stub._requests);
            }
            await handle(n, body, context);
        }));
        stub = new StubServer(app) { BaseUrl = new Uri(root, "/v1") };
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
