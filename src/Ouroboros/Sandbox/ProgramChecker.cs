using System.Collections.Concurrent;
using Ouroboros.Compilation;
using Ouroboros.Policy;

namespace Ouroboros.Sandbox;

/// <summary>
/// Compiles a program against the fixed reference set and applies the policy, on a large stack of
/// its own, under a deadline, with a cache by source hash (a run scores the same program many times).
/// </summary>
/// <remarks>
/// The deadline exists because a program of about a kilobyte can make Roslyn's overload resolution
/// exponential: nested lambdas passed to overloaded methods are bound once per candidate delegate
/// type at every level. Measured here with three overloads <c>M(Func&lt;int|string|double, int&gt;)</c>
/// and <c>M(a =&gt; M(b =&gt; ... a + b ...))</c>: about three times longer per level, 0.7–1.9 s at
/// depth 8–9, 23 s at depth 12, hours at 16. Roslyn is given a cancellation token, but it looks at
/// it only between coarse steps: at depth 12 a token cancelled after 2 s ended the compile after
/// 23 s, i.e. not before overload resolution was done. So the caller stops waiting at the deadline
/// (the program is a <c>compile_error</c> saying so) and the compile thread is abandoned: a
/// background thread that ends on its own, or with the host, and blocks nobody. Its CPU is the
/// remaining cost: it runs at the lowest priority from then on (<see cref="AbandonedThread"/>), and
/// the cached result means one program can cost it only once.
/// </remarks>
internal sealed class ProgramChecker(CSharpCompiler compiler, TimeSpan deadline)
{
    /// <summary>The diagnostic of a compile that passed the deadline.</summary>
    public const string TooSlow = "OURO_COMPILE_DEADLINE";

    private readonly ConcurrentDictionary<(string, bool), Lazy<Task<Checked>>> _checked = new();

    public readonly record struct Checked(CompiledProgram? Program, IReadOnlyList<PolicyViolation> Violations);

    /// <summary>
    /// Compiles and checks <paramref name="source"/> once per hash and policy; later and concurrent
    /// callers share the result. A program that does not compile against the reference set is bound
    /// again against the whole framework, so that reaching for a forbidden API is named as such
    /// rather than as a missing type. With the policy off, the whole framework is available: that
    /// mode tests the OS layer alone.
    /// </summary>
    public Task<Checked> CheckAsync(string source, string hash, bool policy)
    {
        if (_checked.Count > 4096) _checked.Clear();
        return _checked.GetOrAdd((hash, policy), _ => new Lazy<Task<Checked>>(() => StartAsync(source, hash, policy))).Value;
    }

    private async Task<Checked> StartAsync(string source, string hash, bool policy)
    {
        var done = new TaskCompletionSource<Checked>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Roslyn and the policy walk recurse over the syntax tree: a stack no legal program can
        // exhaust, since a stack overflow would end the host. A background thread, since it may be
        // abandoned (see the remarks).
        new Thread(() =>
        {
            thread.SetResult(AbandonedThread.CurrentId());
            using var cancel = new CancellationTokenSource(deadline);
            try { done.SetResult(CheckUncached(source, hash, policy, cancel.Token)); }
            catch (OperationCanceledException) { done.SetResult(Refused(hash, TooSlow, DeadlineMessage)); }
            // Roslyn failing on a candidate is that candidate's compile error, never the host's exception.
            catch (Exception e) { done.SetResult(Refused(hash, "OURO_COMPILER_FAILED", $"the compiler failed on this program: {e.GetType().Name}: {e.Message}")); }
        }, maxStackSize: 256 * 1024 * 1024) { Name = "ouro-compile", IsBackground = true }.Start();
        try { return await done.Task.WaitAsync(deadline); }
        catch (TimeoutException)
        {
            AbandonedThread.Deprioritise(await thread.Task);
            return Refused(hash, TooSlow, DeadlineMessage);
        }
    }

    private string DeadlineMessage => $"compiling the program took longer than the limit of {deadline.TotalSeconds:0.###} s";

    private static Checked Refused(string hash, string code, string message) =>
        new(new CompiledProgram(hash, null, [new CompileDiagnostic(1, 1, code, message)], 0), []);

    private Checked CheckUncached(string source, string hash, bool policy, CancellationToken cancellationToken)
    {
        try
        {
            if (ProgramBounds.Check(source) is { } tooBig) return new(new CompiledProgram(hash, null, [tooBig], 0), []);
            return CompileAndCheck(source, hash, policy, cancellationToken);
        }
        catch (InsufficientExecutionStackException)
        {
            return Refused(hash, ProgramBounds.TooComplex, "the program is nested too deeply to compile");
        }
    }

    private Checked CompileAndCheck(string source, string hash, bool policy, CancellationToken cancellationToken)
    {
        if (!policy) return new(compiler.Compile(source, CSharpCompiler.Bind(source, hash, fullFramework: true), cancellationToken), []);
        var compilation = CSharpCompiler.Bind(source, hash);
        var violations = SandboxPolicy.Check(compilation);
        if (violations.Count > 0) return new(null, violations);
        cancellationToken.ThrowIfCancellationRequested();
        var program = compiler.Compile(source, compilation, cancellationToken);
        if (program.Succeeded) return new(program, []);
        cancellationToken.ThrowIfCancellationRequested();
        violations = SandboxPolicy.Check(CSharpCompiler.Bind(source, hash, fullFramework: true));
        return new(program, violations);
    }
}
