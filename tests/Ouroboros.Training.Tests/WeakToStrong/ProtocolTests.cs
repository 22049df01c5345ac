using System.Reflection;
using Ouroboros.Training.WeakToStrong;

namespace Ouroboros.Training.Tests.WeakToStrong;

/// <summary>The splits' data flow: who may see what, enforced by the types and shown by behaviour.</summary>
public class ProtocolTests
{
    private static readonly W2sOptions Small = new() { SplitA = "0..400", SplitB = "400..800", SplitTest = "800..1400", LatentDimension = 8, Sizes = [1, 2, 3] };

    private static TrainingSettings Settings(int epochs = 5) => new(epochs, 32, 0.1, 11);

    private static (LatentPopulation Population, Classifier Weak) Supervised()
    {
        TorchRuntime.Initialize();
        var population = new LatentPopulation(Small, 0);
        return (population, ClassifierTrainer.OnGroundTruth(population.GroundTruth(population.SupervisorView(Split.A)), Settings()));
    }

    [Fact]
    public void A_student_s_training_set_carries_no_ground_truth()
    {
        // Everything a student's trainer receives: the weak-labelled set (inputs, soft labels, provenance), the method, the settings.
        var exposed = typeof(WeakLabelledSet).GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Select(p => p.Name).Order();
        Assert.Equal(["Inputs", "LabelledBy", "SoftLabels"], exposed);
        Assert.Equal(["Features", "Count", "Ids", "Split", "Width"], typeof(Inputs).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray().OrderBy(n => n != "Features").ToArray());
        Assert.DoesNotContain(typeof(WeakLabelledSet).GetFields(BindingFlags.NonPublic | BindingFlags.Instance), f => f.FieldType != typeof(Inputs) && f.FieldType != typeof(IReadOnlyList<float>) && f.FieldType != typeof(string));
        // It is made only by Label, from a trained supervisor and two views: no truth goes in.
        Assert.Empty(typeof(WeakLabelledSet).GetConstructors());
        var label = typeof(WeakLabelledSet).GetMethod(nameof(WeakLabelledSet.Label))!;
        Assert.Equal([typeof(Classifier), typeof(string), typeof(Inputs), typeof(Inputs)], label.GetParameters().Select(p => p.ParameterType));
        var student = typeof(ClassifierTrainer).GetMethod(nameof(ClassifierTrainer.OnWeakLabels))!;
        Assert.DoesNotContain(student.GetParameters(), p => p.ParameterType == typeof(GroundTruthSet) || p.ParameterType == typeof(TestSet));
    }

    [Fact]
    public void No_trainer_accepts_the_test_split()
    {
        foreach (var method in typeof(ClassifierTrainer).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            Assert.DoesNotContain(method.GetParameters(), p => p.ParameterType == typeof(TestSet));
        var (population, _) = Supervised();
        // The test split cannot be made into a training set, and a test set holds only the test split.
        Assert.Throws<ArgumentException>(() => population.GroundTruth(population.SupervisorView(Split.Test)));
        Assert.Throws<ArgumentException>(() => population.Test(population.SupervisorView(Split.B)));
    }

    [Fact]
    public void Weak_labels_are_produced_on_split_B_only()
    {
        var (population, weak) = Supervised();
        Assert.Throws<ArgumentException>(() => WeakLabelledSet.Label(weak, "weak:1", population.SupervisorView(Split.A), population.View(Split.A, 3, LatentViews.Inexpressible)));
        Assert.Throws<ArgumentException>(() => WeakLabelledSet.Label(weak, "weak:1", population.SupervisorView(Split.Test), population.View(Split.Test, 3, LatentViews.Inexpressible)));
        var labels = WeakLabelledSet.Label(weak, "weak:1", population.SupervisorView(Split.B), population.View(Split.B, 3, LatentViews.Inexpressible));
        Assert.All(labels.Inputs.Ids, i => Assert.True(Small.B.Contains(i)));
        Close(weak.Positive(population.SupervisorView(Split.B)), labels.SoftLabels);
    }

    [Fact]
    public void The_supervisor_learns_from_split_A_only_and_its_labels_do_not_depend_on_B_s_truth()
    {
        var (population, weak) = Supervised();
        var a = population.GroundTruth(population.SupervisorView(Split.A));
        Assert.All(a.Inputs.Ids, i => Assert.True(Small.A.Contains(i)));
        // The same inputs of A with B's examples' truth inverted around them would change nothing: B's truth is read only by a ceiling.
        var b = population.GroundTruth(population.View(Split.B, 3, LatentViews.Inexpressible));
        var flipped = new GroundTruthSet(b.Inputs, b.Truth.Select(y => 1 - y).ToArray());
        var labels = WeakLabelledSet.Label(weak, "weak:1", population.SupervisorView(Split.B), b.Inputs);
        var student = ClassifierTrainer.OnWeakLabels(labels, new TransferMethod(TransferMethod.Xent), true, Settings()).Model;
        Assert.NotEqual(ClassifierTrainer.OnGroundTruth(b, Settings()).Parameters(), ClassifierTrainer.OnGroundTruth(flipped, Settings()).Parameters());
        Assert.Equal(student.Parameters(), ClassifierTrainer.OnWeakLabels(labels, new TransferMethod(TransferMethod.Xent), true, Settings()).Model.Parameters());
    }

    [Fact]
    public void Reading_the_test_split_each_epoch_changes_nothing_the_model_learns()
    {
        var (population, weak) = Supervised();
        var view = population.View(Split.B, 3, LatentViews.LessSalient);
        var test = population.Test(population.View(Split.Test, 3, LatentViews.LessSalient));
        var labels = WeakLabelledSet.Label(weak, "weak:1", population.SupervisorView(Split.B), view);
        var method = new TransferMethod(TransferMethod.LogconfPaper);
        var (watched, curve) = ClassifierTrainer.OnWeakLabels(labels, method, true, Settings(6), m => m.Accuracy(test));
        var (unwatched, none) = ClassifierTrainer.OnWeakLabels(labels, method, true, Settings(6));
        Assert.Equal(6, curve.Count);
        Assert.Empty(none);
        Assert.Equal(unwatched.Parameters(), watched.Parameters());
        // The model kept is the last epoch's, not the best one on test.
        Assert.Equal(watched.Accuracy(test), curve[^1]);
    }

    [Fact]
    public void A_chain_s_labels_come_only_from_its_predecessor()
    {
        var (population, weak) = Supervised();
        var rungs = Small.Sizes.Select(s => (s, population.View(Split.B, s, LatentViews.Inexpressible))).ToList();
        var links = BootstrapChain.Train(weak, rungs, new TransferMethod(TransferMethod.Xent), _ => Settings());
        Assert.Equal([2, 3], links.Select(l => l.Size));
        Assert.Equal("weak:1", links[0].Labels.LabelledBy);
        Close(weak.Positive(rungs[0].Item2), links[0].Labels.SoftLabels);
        Assert.Equal("chain:2", links[1].Labels.LabelledBy);
        Close(links[0].Model.Positive(rungs[1].Item2), links[1].Labels.SoftLabels);
        // Not the supervisor's labels and not the truth: the last link learnt what the intermediate said.
        Assert.True(Distance(weak.Positive(rungs[0].Item2), links[1].Labels.SoftLabels) > 0.01);
        var truth = population.GroundTruth(rungs[2].Item2).Truth.Select(y => (float)y).ToList();
        Assert.True(Distance(truth, links[1].Labels.SoftLabels) > 0.01);
        Assert.Equal(rungs[2].Item2.Ids, links[1].Labels.Inputs.Ids);
    }

    /// <summary>
    /// Predictions of the same model on the same inputs agree to float rounding, not bit for bit: libtorch's
    /// matrix product may take a different path for a differently aligned copy of the features.
    /// </summary>
    private static void Close(IReadOnlyList<float> expected, IReadOnlyList<float> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.True(Distance(expected, actual) < 1e-5, $"labels differ by {Distance(expected, actual)}");
    }

    private static double Distance(IReadOnlyList<float> a, IReadOnlyList<float> b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Average();

    [Fact]
    public void The_same_seed_trains_the_same_models()
    {
        var protocol = new Protocol(Small with { Seeds = 1, Epochs = [3], Methods = [TransferMethod.Xent, TransferMethod.LogconfRepo] });
        TorchRuntime.Initialize();
        var first = protocol.Run("r", new LatentPopulation(Small, 0).For(LatentViews.Salient), 0, CancellationToken.None);
        Assert.Equal(protocol.RowsPerCell, first.Count);
        Assert.Equal(first.Select(r => r.TestAccuracy), protocol.Run("r", new LatentPopulation(Small, 0).For(LatentViews.Salient), 0, CancellationToken.None).Select(r => r.TestAccuracy));
        Assert.NotEqual(first.Select(r => r.TestAccuracy), protocol.Run("r", new LatentPopulation(Small, 1).For(LatentViews.Salient), 1, CancellationToken.None).Select(r => r.TestAccuracy));
    }
}
