using System.Reflection;
using Ouroboros.Runs;

namespace Ouroboros.Reporting;

/// <summary>
/// The experiments' own report sections (<see cref="IReportSection"/>), by the kind of run each
/// reports. Found by type, in the engine and in the experiment assemblies that ship beside it
/// (<c>Ouroboros.*.dll</c> in the application's folder that reference the engine: the training
/// experiments live in <c>Ouroboros.Training</c>, kept apart for its native dependency), so an
/// experiment's folder adds its section without a line elsewhere; two sections for one kind are a
/// programming error, refused at once.
/// </summary>
public static class ReportSectionCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReportSection>> Sections = new(() =>
    {
        var sections = ExperimentAssemblies().SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IReportSection).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IReportSection)Activator.CreateInstance(t)!)
            .ToList();
        var twice = sections.GroupBy(s => s.Kind).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new InvalidOperationException($"two report sections for runs of kind '{twice.Key}': {string.Join(", ", twice.Select(s => s.GetType().Name))}");
        return sections.ToDictionary(s => s.Kind);
    });

    private static IEnumerable<Assembly> ExperimentAssemblies()
    {
        var engine = typeof(IReportSection).Assembly;
        yield return engine;
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "Ouroboros.*.dll").Order(StringComparer.Ordinal))
        {
            var name = AssemblyName.GetAssemblyName(file);
            if (name.Name == engine.GetName().Name) continue;
            // Already loaded (a host, a test assembly) or loadable by name from the application's own
            // dependencies; a file beside it that the host cannot load is not an experiment assembly of it.
            var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == name.Name) ?? TryLoad(name);
            if (assembly is not null && assembly.GetReferencedAssemblies().Any(r => r.Name == engine.GetName().Name)) yield return assembly;
        }
    }

    private static Assembly? TryLoad(AssemblyName name)
    {
        try { return Assembly.Load(name); }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException) { return null; }
    }

    /// <summary>The section of runs of <paramref name="kind"/>, or null when the experiment contributes none.</summary>
    public static IReportSection? For(string kind) => Sections.Value.GetValueOrDefault(kind);

    /// <summary>Every kind that has a section.</summary>
    public static IEnumerable<string> Kinds => Sections.Value.Keys;
}
