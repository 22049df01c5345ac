namespace Ouroboros.Models;

/// <summary>
/// One sequential line of work in a run, e.g. one improver run: its logical position, which names
/// every model draw made on it, and the model round trips made on it so far.
/// <para>
/// The position replaces arrival order as a draw's identity: the k-th completion of the c-th call of
/// the 3rd improver run of a meta-utility evaluation is the same draw however many runs go at once
/// and in whatever order they finish, so a run can go in parallel and still resume and replay
/// exactly (<see cref="DrawSeedChatClient"/>).
/// </para>
/// <para>
/// The round trips are a logical clock of the critical path: a child line starts at its parent's
/// count; when children that ran side by side are joined, the parent takes the longest. A run's
/// final count is the number of model round trips it had to wait for one after another — what its
/// wall time is bound by when the model is slow, whatever the number of calls.
/// </para>
/// </summary>
public sealed class CallPath
{
    private long _roundTrips;

    /// <param name="position">Where this line stands in its run, e.g. <c>t2/improve/u3/r1</c>; the root of a run is <c>""</c>.</param>
    public CallPath(string position, long roundTrips = 0)
    {
        ArgumentNullException.ThrowIfNull(position);
        Position = position;
        _roundTrips = roundTrips;
    }

    /// <summary>A fresh root: position <c>""</c>, no round trips.</summary>
    public static CallPath Root() => new("");

    public string Position { get; }

    /// <summary>Model round trips on the longest chain that led here.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>A line that starts here: named <paramref name="name"/> under this position, at this clock.</summary>
    public CallPath Child(string name) => new(Position.Length == 0 ? name : $"{Position}/{name}", RoundTrips);

    /// <summary>The position of one draw on this line, named <paramref name="name"/>.</summary>
    public string Draw(string name) => Position.Length == 0 ? name : $"{Position}/{name}";

    /// <summary>One model round trip on this line (concurrent requests of one call count once).</summary>
    public void RoundTrip() => Interlocked.Increment(ref _roundTrips);

    /// <summary>This line waited for <paramref name="children"/>: it goes on from the longest of them.</summary>
    public void Join(IEnumerable<CallPath> children)
    {
        foreach (var child in children) Advance(child.RoundTrips);
    }

    private void Advance(long to)
    {
        long seen = Interlocked.Read(ref _roundTrips);
        while (to > seen)
        {
            long was = Interlocked.CompareExchange(ref _roundTrips, to, seen);
            if (was == seen) return;
            seen = was;
        }
    }
}
