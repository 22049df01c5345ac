using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ouroboros.Models;

/// <summary>
/// Decides whether a mutant still compiles, for the offline mutation model. Type-checks only (no
/// emit) against the sandbox compiler's whole-framework references and its global usings
/// (<see cref="Compilation.ReferenceSet"/>), loaded once per process and shared with it: the first
/// compile costs about a second and a half, later ones tens of milliseconds, and a STOP run makes hundreds.
/// </summary>
public static class MutantCompiler
{

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // Compilations share the bound references of these, so each check only binds the mutant.
    private static readonly Lazy<CSharpCompilation> LibraryBase = new(() => Base(OutputKind.DynamicallyLinkedLibrary));
    private static readonly Lazy<CSharpCompilation> ScriptBase = new(() => Base(OutputKind.ConsoleApplication));

    private static CSharpCompilation Base(OutputKind kind) => CSharpCompilation.Create("mutant", [ImplicitUsings], Compilation.ReferenceSet.FullFramework,
        new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false));

    private static readonly SyntaxTree ImplicitUsings = CSharpSyntaxTree.ParseText(Compilation.ReferenceSet.GlobalUsings, ParseOptions);

    /// <summary>Parses C# the way the compile check will read it.</summary>
    public static SyntaxTree Parse(string code) => CSharpSyntaxTree.ParseText(code, ParseOptions);

    /// <summary>
    /// The compile errors of <paramref name="tree"/>, each as <c>ID: message</c> (no positions, so the
    /// errors of a program and of its mutant can be compared).
    /// </summary>
    public static IReadOnlyList<string> Errors(SyntaxTree tree)
    {
        bool script = tree.GetRoot().ChildNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax>().Any();
        var compilation = (script ? ScriptBase : LibraryBase).Value.AddSyntaxTrees(tree);
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
    }

    /// <summary>
    /// A mutant is kept when it brings no error its original lacked. Usually the original compiles
    /// and so must the mutant; a block that needs types this check cannot see (a task's own
    /// helpers) still gets mutants, as long as they break nothing more.
    /// </summary>
    public static bool Acceptable(IReadOnlyList<string> originalErrors, IReadOnlyList<string> mutantErrors)
    {
        var allowed = originalErrors.GroupBy(e => e).ToDictionary(g => g.Key, g => g.Count());
        foreach (var e in mutantErrors)
        {
            if (!allowed.TryGetValue(e, out int left) || left == 0) return false;
            allowed[e] = left - 1;
        }
        return true;
    }
}
