using Ouroboros.Runs;
using Ouroboros.Training.WeakToStrong;

namespace Ouroboros.Training.Tests.WeakToStrong;

public class W2sOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new W2sOptions();
        options.Validate();
        Assert.Equal((1.0, 0.5, 0.0), (options.NoiseOf(1), options.NoiseOf(2), options.NoiseOf(3)));
    }

    [Theory]
    [InlineData("0..2000", "1999..4000", "4000..9000", "splitB", "overlaps splitA (0..2000)")]
    [InlineData("0..2000", "2000..4000", "3000..9000", "splitTest", "overlaps splitB (2000..4000)")]
    [InlineData("4000..6000", "2000..4000", "0..5000", "splitTest", "overlaps splitA (4000..6000)")]
    [InlineData("0..2000", "2000..x", "4000..9000", "splitB", "not a range")]
    [InlineData("0..2000", "2000..2000", "4000..9000", "splitB", "an empty range")]
    public void Overlapping_or_malformed_splits_are_refused_naming_the_split(string a, string b, string test, string option, string problem)
    {
        var e = Assert.Throws<OptionsException>(() => new W2sOptions { SplitA = a, SplitB = b, SplitTest = test }.Validate());
        Assert.Equal(option, e.Option);
        Assert.Contains(problem, e.Problem);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(new[] { 1, 3 }, true, "a bootstrapping chain needs an intermediate size")]
    [InlineData(new[] { 3 }, false, "at least two sizes")]
    [InlineData(new[] { 1, 3, 2 }, true, "distinct and ascending")]
    [InlineData(new[] { 1, 2, 2 }, true, "distinct and ascending")]
    [InlineData(new[] { 0, 1, 2 }, true, "positive")]
    public void A_size_list_the_chain_cannot_use_is_refused(int[] sizes, bool bootstrap, string problem)
    {
        var e = Assert.Throws<OptionsException>(() => new W2sOptions { Sizes = sizes, Bootstrap = bootstrap }.Validate());
        Assert.Equal("sizes", e.Option);
        Assert.Contains(problem, e.Problem);
        // Two sizes are enough without a chain.
        new W2sOptions { Sizes = [1, 3], Bootstrap = false }.Validate();
    }

    [Fact]
    public void Unknown_settings_methods_views_and_epochs_are_refused()
    {
        new W2sOptions { Setting = W2sOptions.Transformer }.Validate();
        var e = Assert.Throws<OptionsException>(() => new W2sOptions { Setting = "vision" }.Validate());
        Assert.Equal("setting", e.Option);
        Assert.Throws<OptionsException>(() => new W2sOptions { Setting = W2sOptions.Transformer, SequenceLength = 10 }.Validate());
        Assert.Throws<OptionsException>(() => new W2sOptions { Methods = ["dpo"] }.Validate());
        Assert.Throws<OptionsException>(() => new W2sOptions { Views = ["inexpressible", "inexpressible"] }.Validate());
        Assert.Throws<OptionsException>(() => new W2sOptions { Epochs = [] }.Validate());
    }
}
