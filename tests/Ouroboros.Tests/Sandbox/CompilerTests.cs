using Ouroboros.Compilation;

namespace Ouroboros.Tests.Sandbox;

public sealed class CompilerTests
{
    [Fact]
    public void Compile_errors_come_back_located_and_worded()
    {
        var program = new CSharpCompiler().Compile("public static class Program\n{\n    public static int Run() => undefinedName;\n}");
        Assert.False(program.Succeeded);
        var error = Assert.Single(program.Diagnostics);
        Assert.Equal((3, 32, "CS0103"), (error.Line, error.Column, error.Id));
        Assert.Contains("undefinedName", error.Message);
    }

    [Theory]
    [InlineData("#define FAST\n")]
    [InlineData("  #  define FAST\n")]
    [InlineData("global using System.Numerics;\n")]
    [InlineData("")]
    public void Directives_that_must_open_a_file_work_and_lines_stay_the_candidates_own(string opening)
    {
        var source = opening + "public static class Program\n{\n    public static int Run() => new List<int> { 1 }.Count() + undefinedName;\n}";
        var program = new CSharpCompiler().Compile(source);
        var error = Assert.Single(program.Diagnostics);
        var line = opening.Length == 0 ? 3 : 4;
        Assert.Equal((line, 62, "CS0103"), (error.Line, error.Column, error.Id));
        Assert.True(new CSharpCompiler().Compile(source.Replace(" + undefinedName", "")).Succeeded);
    }

    [Fact]
    public void Programs_are_cached_by_source_hash()
    {
        var compiler = new CSharpCompiler();
        const string source = "public static class Program { public static int Run() => 1; }";
        var first = compiler.Compile(source);
        Assert.True(first.Succeeded);
        Assert.Same(first, compiler.Compile(source));
        Assert.Equal(ProgramHash.Of(source), first.Hash);
        Assert.NotSame(first, compiler.Compile(source + " "));
    }

    [Fact]
    public void Candidates_get_the_usual_usings_and_the_contracts()
    {
        var program = new CSharpCompiler().Compile("""
            public static class Improver
            {
                public static string ImproveAlgorithm(string s, IUtility u, ILanguageModel m) =>
                    CodeBlocks.Largest(m.Prompt("e", s).First()) + u.Budget + new List<int>().Count();
            }
            """);
        Assert.True(program.Succeeded, string.Join("\n", program.Diagnostics));
    }
}
