using System.Runtime.InteropServices;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// Writing into <c>--out</c>: a folder that cannot be created or written (no permission, a read-only
/// file system, a full disk) is the user's to fix — one line naming the folder and what to do, exit 2.
/// </summary>
internal static class OutputFolder
{
    private const int NoSpace = 28, ReadOnlyFileSystem = 30; // ENOSPC, EROFS

    public static async Task WriteAsync(DirectoryInfo dir, Func<Task> write)
    {
        if (File.Exists(dir.FullName)) throw new UserError($"--out {dir.FullName} is a file; pass a folder.");
        try
        {
            dir.Create();
            await write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e switch
            {
                UnauthorizedAccessException => "permission denied",
                IOException { HResult: NoSpace } => "the disk is full",
                IOException { HResult: ReadOnlyFileSystem } => "a read-only file system",
                // On Linux .NET carries the errno: the system's own words for it name no .NET type.
                IOException { HResult: > 0 and < 4096 } io => Marshal.GetPInvokeErrorMessage(io.HResult),
                _ => "an I/O error",
            };
            throw new UserError($"--out {dir.FullName} cannot be written ({why}); pass a folder you can write to.");
        }
    }
}
