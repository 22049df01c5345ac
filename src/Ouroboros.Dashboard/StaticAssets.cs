using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ouroboros.Dashboard;

/// <summary>
/// The pages, scripts, styles and vendored libraries, served from the assembly's embedded
/// <c>wwwroot/</c>: the dashboard works with no network and nothing beside the tool.
/// </summary>
internal static class StaticAssets
{
    private const string Prefix = "wwwroot/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>Every embedded asset by its URL path, read once: they are small and never change while serving.</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, (byte[] Bytes, string Type)>> Assets = new(Load);

    public static void Map(WebApplication app)
    {
        app.MapGet("/", () => Serve("/index.html"));
        app.MapGet("/{**path}", (string path) => Serve("/" + path));
    }

    private static IResult Serve(string path) => Assets.Value.TryGetValue(path, out var asset)
        ? Results.Bytes(asset.Bytes, asset.Type)
        : Results.NotFound();

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var path = "/" + name[Prefix.Length..].Replace('\\', '/');
            assets[path] = (copy.ToArray(), ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream"));
        }
        return assets;
    }
}
