using System.Text.Json.Nodes;
using Ouroboros.Store;

namespace Ouroboros.Runs;

/// <summary>
/// An experiment's own part of its runs' reports: the tables that say what its result means, and
/// the same as JSON. It lives in the experiment's folder, beside the experiment, and reads the run
/// back from the store (its result, its own tables); the report places it after the run's header
/// and before the parts every run shares (safety events, model usage, faults), in the terminal, in
/// Markdown and under the key <see cref="Kind"/> in <c>--json</c>. The report finds a section by
/// its kind, so an experiment adds one by writing the class: nothing else names it.
/// </summary>
public interface IReportSection
{
    /// <summary>The kind of run it reports (its options' <see cref="ExperimentOptions.Kind"/>).</summary>
    string Kind { get; }

    /// <summary>Its tables, in order; none when the run has nothing to show yet (it is still open, or it failed).</summary>
    IReadOnlyList<ReportTable> Tables(RunRow run, IRunStore store);

    /// <summary>Its part of the JSON report, or null when the run has nothing to show yet.</summary>
    JsonNode? Json(RunRow run, IRunStore store);

    /// <summary>Its figures, as (file name, SVG): <c>ouro report --out DIR</c> writes them; none by default.</summary>
    IReadOnlyList<(string File, string Svg)> Plots(RunRow run, IRunStore store) => [];
}
