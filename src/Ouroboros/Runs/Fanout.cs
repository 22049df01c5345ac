namespace Ouroboros.Runs;

/// <summary>
/// Runs independent pieces of work side by side, at most a given number at once, and gives their
/// results back in index order: what a run does in parallel must not depend on which piece
/// finished first. Every piece runs to its end even when another fails; the first failure (by index)
/// is then thrown, so no piece is left running behind the caller.
/// </summary>
public static class Fanout
{
    public static async Task<T[]> RunAsync<T>(int count, int parallel, Func<int, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        using var slots = new SemaphoreSlim(parallel, parallel);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try { return await work(i).ConfigureAwait(false); }
            finally { slots.Release(); }
        }).ToArray();
        try { return await Task.WhenAll(tasks).ConfigureAwait(false); }
        catch
        {
            // WhenAll waited for all of them; report the first failure by index, not by time.
            var failed = tasks.First(t => t.IsFaulted || t.IsCanceled);
            await failed.ConfigureAwait(false);
            throw;
        }
    }
}
