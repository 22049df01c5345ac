using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Runs;
using Ouroboros.Store;

namespace Ouroboros.Tests.Reporting;

/// <summary>Experiments contribute their own report sections, found by the kind of run they report.</summary>
public sealed class ReportSectionCatalogTests
{
    [Fact]
    public void Each_section_reports_a_kind_an_experiment_runs()
    {
        // The experiments' options, in the engine and in the experiment assemblies the catalog loaded beside it (Ouroboros.Training's w2s).
        var sectionAssemblies = ReportSectionCatalog.Kinds.Select(k => ReportSectionCatalog.For(k)!.GetType().Assembly);
        var kinds = sectionAssemblies.Append(typeof(ExperimentOptions).Assembly).Distinct().SelectMany(a => a.GetTypes())
            .Where(t => t is { IsAbstract: false } && t.IsSubclassOf(typeof(ExperimentOptions)) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => ((ExperimentOptions)Activator.CreateInstance(t)!).Kind).Append(Ouroboros.Sweeps.SweepPlan.Kind).ToHashSet();
        Assert.Contains("improve", ReportSectionCatalog.Kinds);
        Assert.Contains("audit", ReportSectionCatalog.Kinds);
        Assert.Contains("tamper", ReportSectionCatalog.Kinds);
        Assert.Contains("sweep", ReportSectionCatalog.Kinds);
        Assert.All(ReportSectionCatalog.Kinds, k => Assert.Contains(k, kinds));
    }

    [Fact]
    public void A_run_of_a_kind_with_a_section_gets_its_tables_and_json_and_an_unfinished_one_gets_none()
    {
        using var store = RunStore.InMemory();
        store.Journal.CreateRun("i1", "improve", new JsonObject { ["task"] = "3sat" });
        var open = RunReportBuilder.Build(store, "i1")!;
        Assert.Empty(open.ExperimentTables);
        Assert.Null(ReportJson.ToJson(open)["improve"]);

        store.Journal.FinishRun("i1", new JsonObject
        {
            ["before"] = new JsonObject { ["val"] = 0.25, ["test"] = 0.5 }, ["after"] = new JsonObject { ["val"] = 0.75, ["test"] = 1.0 },
            ["status"] = "Ok", ["utilityCalls"] = 3, ["modelUsage"] = new JsonObject(),
        });
        var done = RunReportBuilder.Build(store, "i1")!;
        var table = Assert.Single(done.ExperimentTables);
        Assert.Equal("Before → after", table.Title);
        Assert.Equal(["u(I(u, s)): the improved solution", "0.750", "1.000"], table.Rows[1]);
        Assert.Contains(ReportSections.Of(done), t => t.Title == "Before → after");
        var json = ReportJson.ToJson(done)["improve"]!;
        Assert.Equal(0.75, (double)json["after"]!["val"]!);
        Assert.Null(json["modelUsage"]);
    }
}
