using System.Reflection;
using Ouroboros.Runs;

namespace Ouroboros.Reporting;

/// <summary>
/// The experiments' own report sections (<see cref="IReportSection"/>), by the kind of run each
/// reports. Found in the engine by type, so an experiment's folder adds its section without a line
/// elsewhere; two sections for one kind are a programming error, refused at once.
/// </summary>
public static class ReportSectionCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReportSection>> Sections = new(() =>
    {
        var sections = typeof(IReportSection).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IReportSection).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IReportSection)Activator.CreateInstance(t)!)
            .ToList();
        var twice = sections.GroupBy(s => s.Kind).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new InvalidOperationException($"two report sections for runs of kind '{twice.Key}': {string.Join(", ", twice.Select(s => s.GetType().Name))}");
        return sections.ToDictionary(s => s.Kind);
    });

    /// <summary>The section of runs of <paramref name="kind"/>, or null when the experiment contributes none.</summary>
    public static IReportSection? For(string kind) => Sections.Value.GetValueOrDefault(kind);

    /// <summary>Every kind that has a section.</summary>
    public static IEnumerable<string> Kinds => Sections.Value.Keys;
}
