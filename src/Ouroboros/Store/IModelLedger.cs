namespace Ouroboros.Store;

/// <summary>One run's model ledger: every call, who made it, what it cost and how it ended. Append-only.</summary>
public interface IModelLedger
{
    void Add(ModelCallRecord call);

    /// <summary>Every call, oldest first.</summary>
    IReadOnlyList<ModelCallRecord> All();

    /// <summary>How many calls ended each way (<c>ok</c>, <c>timeout</c>, <c>replayed</c>, ...).</summary>
    IReadOnlyDictionary<string, long> OutcomeCounts();

    /// <summary>Calls, completions, tokens and money spent, over all levels or one, not counting calls answered from the recording.</summary>
    ModelCallTotals Totals(int? level = null);
}
