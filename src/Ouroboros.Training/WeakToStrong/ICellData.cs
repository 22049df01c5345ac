namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// What a setting gives the protocol for one cell: each size's view of each split, the truth to pair with
/// a view (only as a <see cref="GroundTruthSet"/> of A or B, or a <see cref="TestSet"/>), and the model a
/// size starts from. The smallest size's view is the weak supervisor's.
/// </summary>
public interface ICellData
{
    /// <summary><see cref="W2sOptions.Latent"/> or <see cref="W2sOptions.Transformer"/>.</summary>
    string Setting { get; }

    /// <summary>Setting (a)'s student view of the supervisor's noise; setting (b)'s <c>corpus</c>.</summary>
    string View { get; }

    Inputs ViewOf(Split split, int size);

    GroundTruthSet GroundTruth(Inputs inputs);

    TestSet Test(Inputs inputs);

    /// <summary>Train with Adam at <see cref="W2sOptions.FineTuneLearningRate"/> (pretrained transformers), else SGD at <see cref="W2sOptions.LearningRate"/>.</summary>
    bool Adam { get; }

    /// <summary>The model a size's trainings start from, given the view's width; null: a fresh logistic regression.</summary>
    Func<int, Classifier>? Start(int size);
}
