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
            // An Ouroboros.*.dll outside the application's dependencies (a test assembly beside ouro in a test's
            // output folder) does not load by name: it is not one of this application's experiments.
            Assembly assembly;
            try { assembly = Assembly.Load(name); }
            catch (FileNotFoundException) { continue; }
            if (assembly.GetReferencedAssemblies().Any(r => r.Name == engine.GetName().Name)) yield return assembly;
        }
    }

    /// <summary>The section of runs of <paramref name="kind"/>, or null when the experiment contributes none.</summary>
    public static IReportSection? For(string kind) => Sections.Value.GetValueOrDefault(kind);

    /// <summary>Every kind that has a section.</summary>
    public static IEnumerable<string> Kinds => Sections.Value.Keys;
}
