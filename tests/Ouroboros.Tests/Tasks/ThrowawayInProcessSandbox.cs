using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Tasks;

/// <summary>
/// THROWAWAY, until the real <c>WorkerPool</c> lands on main: compiles with Roslyn and invokes in
/// this process. It isolates nothing, and a "timeout" abandons a thread instead of killing a worker,
/// so only trusted test solutions go through it. Delete it when the pool is merged.
/// </summary>
internal sealed class ThrowawayInProcessSandbox : ISandbox
{
    public int Runs;

    public async Task<ProgramRun> RunAsync(ProgramRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Runs);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Source)));
        var tree = CSharpSyntaxTree.ParseText(request.Source);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("candidate_" + hash[..8], [tree], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => new CompileDiagnostic(d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Location.GetLineSpan().StartLinePosition.Character + 1, d.Id, d.GetMessage()))
            .ToList();
        if (errors.Count > 0) return new ProgramRun(hash, RunStatus.CompileError, errors, [], [], 0);

        image.Position = 0;
        var assembly = new AssemblyLoadContext(hash, isCollectible: true).LoadFromStream(image);
        var method = assembly.GetType(request.Entry.TypeName)?.GetMethod(request.Entry.MethodName, BindingFlags.Public | BindingFlags.Static);
        if (method is null)
            return new ProgramRun(hash, RunStatus.CompileError, [new CompileDiagnostic(1, 1, "ENTRY", $"no public static {request.Entry}")], [], [], 0);

        var results = new List<InvocationResult>();
        foreach (var arguments in request.Invocations)
            results.Add(await InvokeAsync(method, arguments, request.Limits.WallClock));
        var events = results.Where(r => r.Status == RunStatus.Timeout).Select(_ => new SafetyEvent(SafetyEventKinds.Timeout, hash, "timeout")).ToList();
        return new ProgramRun(hash, RunStatus.Ok, [], results, events, 0) { Unsandboxed = true };
    }

    private static async Task<InvocationResult> InvokeAsync(MethodInfo method, JsonArray arguments, TimeSpan limit)
    {
        var parameters = method.GetParameters();
        var values = parameters.Select((p, i) => arguments[i].Deserialize(p.ParameterType)).ToArray();
        var run = Task.Run(() => method.Invoke(null, values));
        if (await Task.WhenAny(run, Task.Delay(limit)) != run)
            return new InvocationResult(RunStatus.Timeout, null, "", "the invocation exceeded its wall-clock limit", limit.TotalMilliseconds);
        try
        {
            var value = await run;
            var json = value is null ? null : JsonNode.Parse(JsonSerializer.Serialize(value, value.GetType()));
            return new InvocationResult(RunStatus.Ok, json, "", null, 0);
        }
        catch (TargetInvocationException e)
        {
            return new InvocationResult(RunStatus.Error, null, "", $"{e.InnerException?.GetType().Name}: {e.InnerException?.Message}", 0);
        }
    }
}
