using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Ouroboros.Tasks;

/// <summary>
/// Loads a user-defined task from a folder: <c>task.json</c> (the <see cref="TaskManifest"/>),
/// <c>Problem.cs</c> (a trusted class implementing <see cref="IProblem"/>, compiled here with Roslyn
/// and run in the host, like the built-in generators and scorers) and <c>Seed.cs</c> (the seed
/// solution, which like every solution only ever runs in the sandbox). Every failure names the file
/// and line at fault.
/// </summary>
public static class TaskFolder
{
    public const string ManifestFile = "task.json";
    public const string ProblemFile = "Problem.cs";
    public const string SeedFile = "Seed.cs";

    public static DownstreamTask Load(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFile);
        var manifest = TaskManifest.Parse(ReadRequired(manifestPath), manifestPath);
        var problemPath = Path.Combine(folder, ProblemFile);
        var problem = CompileProblem(ReadRequired(problemPath), problemPath);
        var seedPath = Path.Combine(folder, SeedFile);
        var seed = ReadRequired(seedPath);
        CheckSeed(seed, seedPath);

        var validation = new Split(Split.ValidationName, manifest.Validation.FirstSeed, manifest.Validation.Count);
        var test = new Split(Split.TestName, manifest.Test.FirstSeed, manifest.Test.Count);
        if (validation.FirstSeed < test.FirstSeed + test.Count && test.FirstSeed < validation.FirstSeed + validation.Count)
            throw new TaskDefinitionException($"{manifestPath}:{TaskManifest.LineOf(File.ReadAllText(manifestPath), "test")}: the validation and test seeds overlap; a test instance must never be used for selection.");
        SmokeTest(problem, validation.FirstSeed, problemPath);
        var utility = new SecretUtility(problem, validation, test, TimeSpan.FromMilliseconds(manifest.TimeLimitMs), manifest.Budget);
        return new DownstreamTask(manifest.Id, manifest.Signature, manifest.Description, seed, utility);
    }

    private static string ReadRequired(string path) => File.Exists(path)
        ? File.ReadAllText(path)
        : throw new TaskDefinitionException($"{path}:1: missing; a task folder holds {ManifestFile}, {ProblemFile} and {SeedFile} (see docs/tasks.md).");

    /// <summary>Compiles the trusted generator-and-scorer and instantiates its one <see cref="IProblem"/> class.</summary>
    private static IProblem CompileProblem(string source, string path)
    {
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(source, System.Text.Encoding.UTF8), new CSharpParseOptions(LanguageVersion.Latest), path);
        var compilation = CSharpCompilation.Create(
            $"UserTask_{Guid.NewGuid():N}", [tree], References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        using var symbols = new MemoryStream();
        // With symbols, an exception thrown by the generator or scorer names its line in Problem.cs.
        var emitted = compilation.Emit(image, symbols, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        var error = emitted.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (error is not null) throw new TaskDefinitionException(Located(path, error));

        image.Position = 0;
        symbols.Position = 0;
        var assembly = new AssemblyLoadContext($"task:{path}").LoadFromStream(image, symbols);
        var types = assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && typeof(IProblem).IsAssignableFrom(t)).ToList();
        if (types.Count != 1)
            throw new TaskDefinitionException($"{path}:1: expected exactly one public class implementing Ouroboros.Tasks.IProblem, found {types.Count}.");
        if (types[0].GetConstructor(Type.EmptyTypes) is null)
            throw new TaskDefinitionException($"{path}:1: {types[0].Name} needs a public parameterless constructor.");
        return (IProblem)Activator.CreateInstance(types[0])!;
    }

    /// <summary>The seed runs only in the sandbox, so here it is only parsed: syntax, and a Solution.Algorithm to call.</summary>
    private static void CheckSeed(string source, string path)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path);
        var error = tree.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (error is not null) throw new TaskDefinitionException(Located(path, error));
        var hasEntry = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .Where(c => c.Identifier.Text == DownstreamTask.Entry.TypeName)
            .SelectMany(c => c.Members.OfType<MethodDeclarationSyntax>())
            .Any(m => m.Identifier.Text == DownstreamTask.Entry.MethodName && m.Modifiers.Any(SyntaxKind.StaticKeyword));
        if (!hasEntry)
            throw new TaskDefinitionException($"{path}:1: no class {DownstreamTask.Entry.TypeName} with a static method {DownstreamTask.Entry.MethodName}; the seed must define public static class Solution {{ public static ... Algorithm(...) }}.");
    }

    /// <summary>Generates one instance at load time, so a broken generator fails now rather than mid-run.</summary>
    private static void SmokeTest(IProblem problem, int seed, string path)
    {
        try
        {
            var instance = problem.Generate(seed);
            if (instance?.Arguments is null || instance.Grade is null)
                throw new TaskDefinitionException($"{path}:1: Generate({seed}) returned no arguments or no grader.");
        }
        catch (Exception e) when (e is not TaskDefinitionException)
        {
            var frame = new System.Diagnostics.StackTrace(e, fNeedFileInfo: true).GetFrames().FirstOrDefault(f => f.GetFileName() == path);
            throw new TaskDefinitionException($"{path}:{frame?.GetFileLineNumber() ?? 1}: Generate({seed}) threw {e.GetType().Name}: {e.Message}");
        }
    }

    private static string Located(string path, Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return $"{path}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}: {d.Id}: {d.GetMessage()}";
    }

    /// <summary>The base library plus this engine (for <see cref="IProblem"/>, <see cref="Grade"/>, <see cref="OutputReader"/>).</summary>
    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        paths.Add(typeof(IProblem).Assembly.Location);
        return paths.Where(p => p.Length > 0).DistinctBy(Path.GetFileName).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    });
}
