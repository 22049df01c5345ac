namespace Ouroboros.Safety;

/// <summary>
/// Safety events of one kind that a program can repeat at will (a call past a budget, a request to
/// run unsandboxed): the first is recorded, the rest only counted, so a loop of refused calls is one
/// event per program whose detail says how many times it happened. Before, a 20 s loop wrote 60–92
/// thousand <c>budget_exceeded</c> rows. Read <see cref="Events"/> when the capability's run ends,
/// so each detail carries the final count.
/// </summary>
/// <param name="kind">The events' kind, e.g. <see cref="SafetyEventKinds.BudgetExceeded"/>.</param>
/// <param name="tally">Words for the count, e.g. <c>n => $"{n} utility calls past the budget"</c>.</param>
public sealed class CountedEvents(string kind, Func<long, string> tally)
{
    private readonly Dictionary<string, First> _byProgram = [];
    private readonly List<string> _order = [];

    /// <summary>Notes one occurrence by <paramref name="programHash"/>; <paramref name="describe"/> is called only for that program's first.</summary>
    public void Note(string programHash, Func<string> describe)
    {
        lock (_byProgram)
        {
            if (_byProgram.TryGetValue(programHash, out var first)) first.Count++;
            else
            {
                _byProgram[programHash] = new First(describe());
                _order.Add(programHash);
            }
        }
    }

    /// <summary>How many occurrences were noted, over all programs.</summary>
    public long Total { get { lock (_byProgram) return _byProgram.Values.Sum(f => f.Count); } }

    /// <summary>One event per program, in the order they first did it, each with its count.</summary>
    public IReadOnlyList<SafetyEvent> Events
    {
        get
        {
            lock (_byProgram)
                return _order.Select(hash => Event(hash, _byProgram[hash])).ToList();
        }
    }

    private SafetyEvent Event(string programHash, First f) => new(kind, programHash, $"{f.Detail} ({tally(f.Count)})") { At = f.At };

    private sealed class First(string detail)
    {
        public string Detail { get; } = detail;
        public DateTimeOffset At { get; } = DateTimeOffset.UtcNow;
        public long Count { get; set; } = 1;
    }
}
