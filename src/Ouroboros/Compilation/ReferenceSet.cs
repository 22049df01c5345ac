using Microsoft.CodeAnalysis;
using Ouroboros.Contracts;

namespace Ouroboros.Compilation;

/// <summary>
/// The fixed set of assemblies candidate programs compile against: what algorithms need
/// (collections, LINQ, text, math, System.Random, tasks and threads) and the contracts assembly.
/// Being left out of this set is a first line of defence; the static policy is the second, since
/// the base library itself (System.Private.CoreLib) also holds files, reflection and interop.
/// </summary>
public static class ReferenceSet
{
    private static readonly string[] FrameworkAssemblies =
    [
        "System.Private.CoreLib", "System.Runtime", "netstandard",
        "System.Collections", "System.Collections.Concurrent", "System.Collections.Immutable",
        "System.Linq", "System.Memory", "System.Console",
        "System.Text.RegularExpressions", "System.Runtime.Numerics",
        "System.Threading", "System.Threading.Thread", "System.Threading.Tasks.Parallel",
    ];

    /// <summary>Global usings added to every candidate, as the SDK's implicit usings do for projects.</summary>
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Text;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Ouroboros.Contracts;
        """;

    private static readonly Lazy<IReadOnlyList<MetadataReference>> Fixed = new(BuildFixed);
    private static readonly Lazy<IReadOnlyList<MetadataReference>> Full = new(BuildFull);

    /// <summary>What candidates compile against.</summary>
    public static IReadOnlyList<MetadataReference> References => Fixed.Value;

    /// <summary>
    /// The whole shared framework: for naming a forbidden API a candidate reached for (with the fixed
    /// set it would be a bare "type not found"), and for <c>--policy off</c>, which tests the OS layer alone.
    /// </summary>
    public static IReadOnlyList<MetadataReference> FullFramework => Full.Value;

    private static Dictionary<string, string> Trusted() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

    private static IReadOnlyList<MetadataReference> BuildFull()
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Trusted().Values.Where(p => Path.GetDirectoryName(p) == framework)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(IUtility).Assembly.Location))
            .ToList();
    }

    private static IReadOnlyList<MetadataReference> BuildFixed()
    {
        var trusted = Trusted();
        var references = new List<MetadataReference>();
        foreach (var name in FrameworkAssemblies)
        {
            if (!trusted.TryGetValue(name, out var path))
                throw new InvalidOperationException($"the runtime has no {name}.dll; is the .NET 10 runtime installed intact?");
            references.Add(MetadataReference.CreateFromFile(path));
        }
        references.Add(MetadataReference.CreateFromFile(typeof(IUtility).Assembly.Location));
        return references;
    }
}
