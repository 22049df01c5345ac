using Ouroboros.SelfRewarding;

namespace Ouroboros.Tests.SelfRewarding;

public class ScoreParserTests
{
    [Theory]
    [InlineData("The answer is relevant and complete. Score: 4", 4.0)]
    [InlineData("Score: 3.5", 3.5)]
    [InlineData("Score: 0", 0.0)]
    [InlineData("Score: 5", 5.0)]
    [InlineData("A weaker judge might say Score: 1, but this one is good.\nScore: 4", 4.0)]
    public void Reads_the_last_score(string judgement, double expected) => Assert.Equal(expected, ScoreParser.Parse(judgement));

    [Theory]
    [InlineData("")]
    [InlineData("I would give it four points.")]
    [InlineData("Score: 6")]
    [InlineData("Score: 5.5")]
    [InlineData("Score: 4\nOn reflection, Score: 7")]
    public void No_score_or_one_outside_the_rubric_is_none(string judgement) => Assert.Null(ScoreParser.Parse(judgement));
}
