namespace Ouroboros.Sandbox;

/// <summary>
/// A program's hold on one of its nesting level's slots (<see cref="WorkerPoolOptions.Workers"/> per
/// level: how many programs of a level compute at once). While the host serves the program's
/// capability calls — a model's answer, a meta-utility evaluation — the program only waits, so it
/// lets its slot go and takes one again before its answer is sent back. Without this, improver runs
/// waiting on a slow model held every slot of their level, and no more of them than there are
/// cores could wait on the model at once. Concurrent calls of one program give the slot up once.
/// </summary>
internal sealed class LevelSlot(SemaphoreSlim level)
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _away;
    private bool _held, _done;

    /// <summary>Takes a slot: the program may compute.</summary>
    public async Task TakeAsync(CancellationToken cancellationToken)
    {
        await level.WaitAsync(cancellationToken).ConfigureAwait(false);
        _held = true;
    }

    /// <summary>A call of the program is being served: its slot is free for others meanwhile.</summary>
    public async Task StepAwayAsync()
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_away++ == 0 && _held)
            {
                _held = false;
                level.Release();
            }
        }
        finally { _turn.Release(); }
    }

    /// <summary>The call was served: take a slot again before the program goes on (the last of concurrent calls does).</summary>
    public async Task ReturnAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // A call can end after its program did (a timeout killed it meanwhile): nothing to take then.
            if (--_away == 0 && !_held && !_done)
            {
                await level.WaitAsync(cancellationToken).ConfigureAwait(false);
                _held = true;
            }
        }
        finally { _turn.Release(); }
    }

    /// <summary>The program is done: its slot, if it holds one, goes back to the level.</summary>
    public void Release()
    {
        _turn.Wait();
        try
        {
            _done = true;
            if (_held)
            {
                _held = false;
                level.Release();
            }
        }
        finally { _turn.Release(); }
    }
}
