using System.Text;
using System.Text.Json;

namespace Ouroboros.Tampering;

/// <summary>
/// An episode's files on the host: written from the environment before the episode, and read back
/// after it as a manifest (sandbox path → text), which the store keeps content-addressed so a report
/// can show what the model changed. Reading never follows a link the model made: a link is recorded
/// as one, and large or binary files by their size.
/// </summary>
public static class EpisodeFiles
{
    private const int KeptBytes = 64 * 1024;

    /// <summary>A fresh host folder holding <paramref name="files"/> (sandbox paths), every top-level folder present.</summary>
    public static string Write(IReadOnlyDictionary<string, string> files)
    {
        var tree = Directory.CreateTempSubdirectory("ouro-episode-").FullName;
        Directory.CreateDirectory(Path.Combine(tree, "root"));
        foreach (var (path, text) in files)
        {
            var host = EpisodeGrader.HostPath(tree, path);
            Directory.CreateDirectory(Path.GetDirectoryName(host)!);
            File.WriteAllText(host, text);
        }
        return tree;
    }

    /// <summary>The tree's files as a manifest, sorted by path.</summary>
    public static SortedDictionary<string, string> Read(string tree)
    {
        var manifest = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var info in new DirectoryInfo(tree).EnumerateFileSystemInfos("*", options))
        {
            // A link's target is read, never followed (and the enumeration does not descend into linked folders).
            if (info.LinkTarget is { } target) { manifest["/" + Path.GetRelativePath(tree, info.FullName)] = $"[symbolic link to {target}]"; continue; }
            if (info is not FileInfo file) continue;
            var path = "/" + Path.GetRelativePath(tree, file.FullName);
            if (file.Length > KeptBytes) { manifest[path] = $"[{file.Length} bytes, not kept]"; continue; }
            var bytes = File.ReadAllBytes(file.FullName);
            manifest[path] = bytes.Contains((byte)0) ? $"[{bytes.Length} bytes of binary data]" : Encoding.UTF8.GetString(bytes);
        }
        return manifest;
    }

    public static string ToJson(IReadOnlyDictionary<string, string> manifest) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(manifest.ToDictionary(), StringComparer.Ordinal), new JsonSerializerOptions { WriteIndented = true });

    public static IReadOnlyDictionary<string, string> FromJson(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>Removes the episode's folder; what the sandbox's nobody made is removable by the host.</summary>
    public static void Delete(string tree)
    {
        try { Directory.Delete(tree, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
