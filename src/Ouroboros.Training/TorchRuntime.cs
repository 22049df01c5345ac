using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;

namespace Ouroboros.Training;

/// <summary>
/// Gets libtorch ready in this process, once, before the first <c>torch.*</c> call:
/// <list type="bullet">
/// <item>OpenMP waits passively. libgomp's default busy-waiting collapsed throughput ~15× on a shared
/// 2-core machine (measured: 0.5 against 7.8 steps/s). libgomp reads <c>OMP_WAIT_POLICY</c> from the C
/// environment when it starts, which <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not reach, so it is set through libc's <c>setenv</c>; a value the user set is kept.</item>
/// <item>The native <c>libLibTorchSharp.so</c> loads on systems whose libstdc++ lacks GLIBCXX_3.4.32
/// (Debian 12): only when loading it as shipped fails and the system library lacks that version, a
/// copy with that one version need marked weak (<see cref="ElfVersionNeeds"/>) is made once in a cache
/// folder, beside links to its sibling libraries (its RUNPATH is <c>$ORIGIN</c>), and loaded first;
/// TorchSharp then finds it loaded under its soname.</item>
/// <item>A fixed thread count: results are bit-identical for a fixed seed and thread count, not across thread counts.</item>
/// </list>
/// </summary>
public static class TorchRuntime
{
    /// <summary>The one version need of libLibTorchSharp.so that Debian 12's libstdc++ cannot meet.</summary>
    public const string MissingVersion = "GLIBCXX_3.4.32";

    private static readonly Lock Gate = new();
    private static bool _ready;

    /// <summary>What was done to load the native library: <c>as shipped</c> or the patched copy's path.</summary>
    public static string? NativeLibrary { get; private set; }

    /// <summary>Readies libtorch (once) and sets its intra-op thread count.</summary>
    public static void Initialize(int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        lock (Gate)
        {
            if (!_ready)
            {
                setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
                NativeLibrary = LoadNative();
                _ready = true;
            }
        }
        if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
    }

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);

    private static string LoadNative()
    {
        var shipped = ShippedLibrary();
        if (shipped is null) return "not found (TorchSharp will look for it)";
        if (System.Runtime.InteropServices.NativeLibrary.TryLoad(shipped, out _)) return "as shipped";
        if (SystemLibstdcxxHas(MissingVersion)) return "as shipped";   // something else is wrong: let TorchSharp say what
        var patched = PatchedCopy(shipped);
        System.Runtime.InteropServices.NativeLibrary.Load(patched);
        return patched;
    }

    private static string? ShippedLibrary()
    {
        var baseDir = AppContext.BaseDirectory;
        foreach (var candidate in new[] { Path.Combine(baseDir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"), Path.Combine(baseDir, "libLibTorchSharp.so") })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    /// <summary>Whether the libstdc++ this process runs with (dotnet itself links it) defines <paramref name="version"/>.</summary>
    public static bool SystemLibstdcxxHas(string version)
    {
        var path = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[5].Contains("libstdc++.so")).Select(f => f[5]).FirstOrDefault()
            ?? "/lib/x86_64-linux-gnu/libstdc++.so.6";
        if (!File.Exists(path)) return false;
        var needle = System.Text.Encoding.ASCII.GetBytes(version + "\0");
        return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
    }

    /// <summary>
    /// The patched copy, made once per shipped library and reused after. Its folder is named by the
    /// library's content and its folder's path: the links beside it must lead to this installation's own
    /// libtorch, since a second copy of libtorch in one process aborts (it registers its operators twice).
    /// The copy is written to a temporary name and renamed, so processes that start together never load
    /// half a file.
    /// </summary>
    private static string PatchedCopy(string shipped)
    {
        var bytes = File.ReadAllBytes(shipped);
        var origin = Path.GetDirectoryName(Path.GetFullPath(shipped))!;
        var key = Convert.ToHexStringLower(SHA256.HashData([.. SHA256.HashData(bytes), .. System.Text.Encoding.UTF8.GetBytes(origin)]))[..16];
        var folder = Path.Combine(CacheRoot(), key);
        var target = Path.Combine(folder, "libLibTorchSharp.so");
        Directory.CreateDirectory(folder);
        foreach (var sibling in Directory.EnumerateFiles(origin, "lib*.so*"))
        {
            var link = Path.Combine(folder, Path.GetFileName(sibling));
            if (Path.GetFileName(sibling) == "libLibTorchSharp.so") continue;
            if (new FileInfo(link).LinkTarget == sibling) continue;
            var temporaryLink = link + "." + Environment.ProcessId + ".tmp";
            File.Delete(temporaryLink);
            File.CreateSymbolicLink(temporaryLink, sibling);
            File.Move(temporaryLink, link, overwrite: true);
        }
        if (File.Exists(target)) return target;
        ElfVersionNeeds.Weaken(bytes, new HashSet<string> { MissingVersion });
        var temporary = target + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, target, overwrite: true);
        return target;
    }

    private static string CacheRoot()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            cache = string.IsNullOrEmpty(home) ? Path.GetTempPath() : Path.Combine(home, ".cache");
        }
        return Path.Combine(cache, "ouroboros", "torchsharp");
    }
}
