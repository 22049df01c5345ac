using System.Runtime;

namespace Ouroboros.Worker;

/// <summary>
/// Code and type data the runtime keeps for good. Generic instantiations made only of library types
/// (<c>Dictionary&lt;ValueTuple&lt;byte, short&gt;, int&gt;</c> and thousands like it) are compiled into
/// the process's permanent loader heaps, not the program's unloadable context, and the heap guard,
/// which sees only the garbage-collected heap, cannot see them: one red-team program left about
/// 40 MB that way (3,447 methods, about 12 KB each with their type data), and a few of them later
/// aborted the worker under an honest program. Counted by the methods the JIT compiled: a program
/// using LINQ, dictionaries, sets, a priority queue, Regex and Parallel.For compiled 121.
/// </summary>
internal sealed class CodeGuard
{
    /// <summary>Methods one program may have compiled before its worker is retired.</summary>
    private const long PerProgram = 1_000;

    /// <summary>Methods all programs together may have compiled (tier-ups included) before the worker is retired.</summary>
    private const long PerWorker = 5_000;

    private readonly long _start = JitInfo.GetCompiledMethodCount();
    private long _before;

    public void BeforeProgram() => _before = JitInfo.GetCompiledMethodCount();

    /// <summary>Why the worker must retire, or null; without blame: compiling many generic methods is no attack in itself.</summary>
    public Retirement? Grown()
    {
        var now = JitInfo.GetCompiledMethodCount();
        if (now - _before > PerProgram)
            return new($"the program compiled {now - _before} methods, whose code and type data stay in the worker", Event: null);
        if (now - _start > PerWorker)
            return new($"programs on this worker compiled {now - _start} methods, whose code and type data stay in it", Event: null);
        return null;
    }
}
