using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ouroboros.Dashboard;

/// <summary>
/// Answers only requests addressed to this machine by name (<c>127.0.0.1</c>, <c>localhost</c>):
/// listening on the loopback interface is not enough against DNS rebinding, where a web page the
/// user visits points its own host name at 127.0.0.1 and reads the store's programs through the
/// browser. Such a request carries the page's host name, and is refused.
/// </summary>
internal static class LoopbackHostsOnly
{
    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.Request.Host.Host is "127.0.0.1" or "localhost" or "[::1]") await next(context);
        else
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = "the dashboard answers requests to 127.0.0.1 or localhost only" });
        }
    });
}
