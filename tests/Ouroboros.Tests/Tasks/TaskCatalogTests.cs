using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Ouroboros.Tasks;

namespace Ouroboros.Tests.Tasks;

public class TaskCatalogTests
{
    public static TheoryData<string> Ids() => new(TaskCatalog.BuiltIn().Select(t => t.Id));

    private static DownstreamTask Task(string id) => TaskCatalog.BuiltIn().Single(t => t.Id == id);

    private static string Normalise(string declaration) => string.Concat(declaration.Where(c => !char.IsWhiteSpace(c)));

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_seed_declares_Solution_Algorithm_with_the_task_s_signature(string id)
    {
        var task = Task(id);
        var method = CSharpSyntaxTree.ParseText(task.SeedSolution).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Single(m => m.Identifier.Text == "Algorithm" && ((ClassDeclarationSyntax)m.Parent!).Identifier.Text == "Solution");
        Assert.Equal(Normalise(task.Signature), Normalise($"{method.ReturnType} {method.Identifier}{method.ParameterList}"));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_description_is_grey_box_C_sharp_without_seeds(string id)
    {
        var task = Task(id);
        Assert.Contains("Solution.Algorithm", task.Description);
        foreach (var secret in new[] { "4321", "5678", "1000000" }) Assert.DoesNotContain(secret, task.Description);
        Assert.Empty(CSharpSyntaxTree.ParseText(task.Description, new CSharpParseOptions(kind: Microsoft.CodeAnalysis.SourceCodeKind.Script)).GetDiagnostics());
    }

    [Fact]
    public void Ids_are_unique_and_STOP_s_six()
    {
        var catalog = TaskCatalog.Load();
        Assert.Equal(["lpn", "parity", "string-grid-distance", "quadratic-assignment", "3sat", "maxcut"], catalog.Ids);
        Assert.True(catalog.TryGet("3sat", out var sat));
        Assert.Equal(ThreeSat.Signature, sat.Signature);
        Assert.False(catalog.TryGet("LPN", out _));
    }
}
