using Ouroboros.Training.SelfRewarding;

namespace Ouroboros.Training.Tests.SelfRewarding;

public class SortingTaskTests
{
    private readonly SortingTask _task = new();

    [Theory]
    [InlineData("3172", "1237", 5)]   // right
    [InlineData("3172", "1273", 4)]   // a permutation, starts right, not sorted
    [InlineData("3172", "2137", 3)]   // a permutation, not sorted, wrong first digit
    [InlineData("3172", "123", 3)]    // short: digits ok, starts right, sorted
    [InlineData("3172", "1238", 3)]   // a digit not in the prompt: length, first, sorted
    [InlineData("3172", "", 0)]
    [InlineData("3172", "x", 0)]
    [InlineData("3172", "9", 1)]      // sorted digits, nothing else
    [InlineData("3172", "1 2 3 7", 1)] // starts right; spaces: not only digits, wrong length, so not sorted either
    public void The_hidden_rubric_adds_one_point_per_criterion(string digits, string answer, int expected) =>
        Assert.Equal(expected, _task.Score(_task.Prompt(digits), answer));

    [Fact]
    public void Prompts_are_seeded_and_within_the_digit_range()
    {
        var a = _task.Prompts(new Random(4), 50);
        Assert.Equal(a, _task.Prompts(new Random(4), 50));
        Assert.All(a, p => Assert.InRange(SortingTask.DigitsOf(p).Length, 3, 6));
        Assert.Equal("1237", SortingTask.Solution("sort 3172="));
    }

    [Fact]
    public void Corruptions_are_wrong_and_cover_the_low_scores()
    {
        var random = new Random(5);
        var scores = _task.Prompts(random, 400).Select(p => (int)_task.Score(p, SortingTask.Corrupt(p, random))).ToList();
        Assert.Contains(2, scores);
        Assert.Contains(3, scores);
        Assert.Contains(4, scores);
        Assert.True(scores.Count(s => s == 5) < scores.Count / 4, "most corruptions must lose a point");
    }

    [Fact]
    public void The_compact_judge_hands_the_paper_parser_its_answer() =>
        Assert.Equal("judge sort 31=13|", CompactJudge.Prefix("sort 31=", "13"));
}
