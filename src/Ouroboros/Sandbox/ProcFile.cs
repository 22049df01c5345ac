using Microsoft.Win32.SafeHandles;

namespace Ouroboros.Sandbox;

/// <summary>
/// A small /proc file rendered by a single show function (<c>/proc/loadavg</c>, <c>/proc/PID/stat</c>)
/// kept open and read again from offset 0 whenever asked: the kernel renders such a file afresh on
/// every read from offset 0, and opening and closing it each time would cost several times the
/// read. Not for cgroup v1's <c>cgroup.procs</c>, whose pid list an open file may serve from a cache.
/// Shared as source by the host and the worker.
/// </summary>
internal sealed class ProcFile(string path) : IDisposable
{
    private readonly byte[] _buffer = new byte[16384];
    private SafeFileHandle? _handle;

    public string Path { get; } = path;

    /// <summary>The file's current text (its first 16 KiB), or null when it cannot be read (the process or group is gone).</summary>
    public string? Read()
    {
        try
        {
            _handle ??= File.OpenHandle(Path, FileMode.Open, FileAccess.Read);
            var n = RandomAccess.Read(_handle, _buffer, 0);
            return System.Text.Encoding.ASCII.GetString(_buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _handle?.Dispose();
}
