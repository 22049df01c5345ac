using Microsoft.Extensions.AI;
using Ouroboros.Contracts;
using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

public class OfflineMutationModelTests
{
    private const string Program = """
        public static class Solver
        {
            public static int Solve(int[] xs, ILanguageModel model)
            {
                int best = 0;
                for (int i = 0; i < xs.Length; i++)
                {
                    if (xs[i] > best) best = xs[i];
                    else best = best - 1;
                }
                int bonus = best * 3 + 7;
                return bonus / 2;
            }
        }
        """;

    private static string Prompt(string code) => $"Improve the following solution:\n```csharp\n{code}\n```\nYou must return an improved solution.";

    private static async Task<IReadOnlyList<string>> Ask(IChatClient model, string prompt, int n, long firstSample = 0, double temperature = 0.7) =>
        ChatConventions.Texts(await model.GetResponseAsync(Chat.Ask(prompt),
            ChatConventions.Slice(new ChatOptions { Temperature = (float)temperature }, n, firstSample)));

    [Fact]
    public async Task Answers_like_a_model_one_line_of_mutations_then_a_compiling_mutant()
    {
        var answers = await Ask(new OfflineMutationModel(seed: 1), Prompt(Program), n: 4);

        Assert.Equal(4, answers.Count);
        foreach (var answer in answers)
        {
            var lines = answer.Split('\n');
            Assert.StartsWith("Mutations: line ", lines[0]);
            Assert.Equal("```csharp", lines[2]);
            var code = Assert.Single(CodeBlocks.All(answer));
            Assert.NotEqual(Program, code);
            Assert.Empty(MutantCompiler.Errors(MutantCompiler.Parse(code)));
            Assert.Contains("public static int Solve(int[] xs, ILanguageModel model)", code);
        }
        Assert.True(answers.Distinct().Count() > 1);
    }

    [Fact]
    public async Task The_seed_the_request_and_the_sample_index_fix_every_draw()
    {
        var first = await Ask(new OfflineMutationModel(seed: 7), Prompt(Program), n: 3);
        var again = await Ask(new OfflineMutationModel(seed: 7), Prompt(Program), n: 3);
        var shifted = await Ask(new OfflineMutationModel(seed: 7), Prompt(Program), n: 2, firstSample: 1);
        var otherSeed = await Ask(new OfflineMutationModel(seed: 8), Prompt(Program), n: 3);

        Assert.Equal(first, again);
        Assert.Equal(first.Skip(1), shifted);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public async Task Higher_temperature_makes_more_mutations()
    {
        static int Count(string answer) => System.Text.RegularExpressions.Regex.Matches(answer.Split('\n')[0], @"(^Mutations: |; )line \d+:").Count;
        var cold = await Ask(new OfflineMutationModel(seed: 3), Prompt(Program), n: 30, temperature: 0);
        var hot = await Ask(new OfflineMutationModel(seed: 3), Prompt(Program), n: 30, temperature: 2);

        Assert.All(cold, a => Assert.Equal(1, Count(a)));
        Assert.True(hot.Average(Count) > 2, $"hot answers averaged {hot.Average(Count)} mutations");
    }

    [Fact]
    public async Task Every_kind_of_mutation_occurs()
    {
        var answers = await Ask(new OfflineMutationModel(seed: 11), Prompt(Program), n: 60, temperature: 1);
        var firstLines = string.Join("\n", answers.Select(a => a.Split('\n')[0]));
        foreach (var kind in new[] { "constant", "operator <", "operator +", "deleted", "duplicated", "swapped `", "loop bound", "swapped the branches" })
            Assert.Contains(kind, firstLines);
    }

    [Fact]
    public async Task A_program_with_nothing_mutable_comes_back_unchanged_and_says_so()
    {
        const string empty = "public interface IEmpty { }";
        var answer = Assert.Single(await Ask(new OfflineMutationModel(seed: 1), Prompt(empty), n: 1));
        Assert.StartsWith("No mutant that compiles was found", answer);
        Assert.Equal(empty, Assert.Single(CodeBlocks.All(answer)));
    }

    [Fact]
    public async Task A_prompt_without_code_gets_an_answer_without_code()
    {
        var answer = Assert.Single(await Ask(new OfflineMutationModel(), "Tell me a joke.", n: 1));
        Assert.Contains("no fenced C# block", answer);
        Assert.Empty(CodeBlocks.All(answer));
    }

    [Fact]
    public void Mutants_of_code_needing_unseen_types_are_kept_when_they_break_nothing_more()
    {
        const string code = "public static class S { public static double F(TaskInput t) { return t.Value * 2.0; } }";
        var model = new OfflineMutationModel(seed: 5);
        var answer = model.Answer(code, 0.7, seed: 99);
        var mutant = Assert.Single(CodeBlocks.All(answer));
        Assert.NotEqual(code, mutant);
        Assert.StartsWith("Mutations:", answer);
    }
}
