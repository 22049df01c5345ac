namespace Ouroboros.Tasks;

/// <summary>
/// Watches evaluations as they run, for a person following a long run: an evaluation of a hundred
/// instances can take minutes in one sandbox round trip. Only observes; nothing scored depends on it.
/// </summary>
public interface IEvaluationObserver
{
    /// <summary>An evaluation of <paramref name="instances"/> instances of <paramref name="task"/> began; dispose the watch when it ends.</summary>
    IEvaluationWatch Started(string task, int instances);
}

/// <summary>One evaluation under way.</summary>
public interface IEvaluationWatch : IDisposable
{
    /// <summary>One more instance has its result.</summary>
    void InstanceDone();
}
