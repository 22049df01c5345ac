using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ouroboros.Compilation;

/// <summary>
/// Roslyn compile-to-memory of candidate source against <see cref="ReferenceSet"/>, with a
/// cache by source hash (a self-improvement run scores the same program many times).
/// The policy check runs on the same compilation, so a program is parsed and bound once.
/// </summary>
public sealed partial class CSharpCompiler
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
    private static readonly SyntaxTree GlobalUsingsTree = CSharpSyntaxTree.ParseText(ReferenceSet.GlobalUsings, ParseOptions, path: "GlobalUsings.g.cs");
    private static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        allowUnsafe: false,
        nullableContextOptions: NullableContextOptions.Disable,
        concurrentBuild: false, // the pool's workers need the other core; one candidate is small
        deterministic: true);

    /// <summary>
    /// The largest image a program may compile to. A real candidate is tens of kilobytes; the cap
    /// stays far below the 64 MB frame that carries the image to a worker.
    /// </summary>
    public const int MaxImageBytes = 16 * 1024 * 1024;

    /// <summary>The diagnostic of an image over <see cref="MaxImageBytes"/>.</summary>
    public const string ImageTooLarge = "OURO_IMAGE_TOO_LARGE";

    private readonly ConcurrentDictionary<string, CompiledProgram> _cache = new();
    private readonly int _cacheLimit;

    public CSharpCompiler(int cacheLimit = 4096) => _cacheLimit = cacheLimit;

    /// <summary>
    /// The global usings, put in front of the candidate's own text, with a <c>#line</c> directive so
    /// that every diagnostic still names the candidate's own lines. One tree instead of two takes
    /// about 2.3 ms (a fifth) off every compile.
    /// </summary>
    private const string Prelude = ReferenceSet.GlobalUsings + "\n#line 1\n";

    /// <summary>Parses and binds a program without emitting it; the policy walks this.</summary>
    public static CSharpCompilation Bind(string source, string hash, bool fullFramework = false)
    {
        var references = fullFramework ? ReferenceSet.FullFramework : ReferenceSet.References;
        var name = $"candidate_{hash[..16]}";
        if (!NeedsFileStart(source))
            return CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(Prelude + source, ParseOptions, path: "Candidate.cs")], references, Options);
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Candidate.cs");
        return CSharpCompilation.Create(name, [tree, GlobalUsingsTree], references, Options);
    }

    /// <summary>What must open a file and so cannot follow the prelude: <c>#define</c>, <c>#undef</c>, <c>extern alias</c>.</summary>
    private static bool NeedsFileStart(string source) =>
        FileStartDirective().IsMatch(source) || source.Contains("extern", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*#\s*(define|undef)\b", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex FileStartDirective();

    public CompiledProgram Compile(string source) => Compile(source, Bind(source, ProgramHash.Of(source)));

    /// <summary>
    /// Emits an already bound compilation (see <see cref="Bind"/>); cached by source hash. Roslyn
    /// checks <paramref name="cancellationToken"/> only between coarse steps (see
    /// <c>ProgramChecker</c>), so a caller must not rely on it to end a pathological compile.
    /// </summary>
    public CompiledProgram Compile(string source, CSharpCompilation compilation, CancellationToken cancellationToken = default)
    {
        var hash = ProgramHash.Of(source);
        var key = $"{hash}:{compilation.References.Count()}";
        if (_cache.TryGetValue(key, out var cached)) return cached;
        var clock = Stopwatch.StartNew();
        using var image = new CappedStream(MaxImageBytes);
        var emit = compilation.Emit(image, cancellationToken: cancellationToken);
        // Roslyn reports a stream that throws as an error writing the output; say what it was.
        List<CompileDiagnostic> diagnostics = image.Exceeded
            ? [new CompileDiagnostic(1, 1, ImageTooLarge, $"the compiled program is larger than the limit of {MaxImageBytes / (1024 * 1024)} MB (large constants, such as strings built from constants, count)")]
            : emit.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(ToDiagnostic)
                .Take(20)
                .ToList();
        var succeeded = emit.Success && !image.Exceeded;
        var program = new CompiledProgram(hash, succeeded ? image.ToArray() : null, diagnostics, clock.Elapsed.TotalMilliseconds);
        if (_cache.Count >= _cacheLimit) _cache.Clear(); // crude but bounded; misses only cost a compile
        _cache[key] = program;
        return program;
    }

    /// <summary>Compiles a few throwaway programs so the first real candidate does not pay Roslyn's cold start (~1.5 s).</summary>
    public void WarmUp(int rounds = 3)
    {
        for (int i = 0; i < rounds; i++)
            Bind($"public static class Warm{i} {{ public static int Run() => new[] {{ {i}, 2 }}.Select(x => x * 2).Sum(); }}", $"warmup{i:D16}").Emit(Stream.Null);
    }

    internal static CompileDiagnostic ToDiagnostic(Diagnostic d)
    {
        var span = d.Location.GetMappedLineSpan();
        return new CompileDiagnostic(span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, d.Id, d.GetMessage());
    }
}
