using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Ouroboros.Sandbox.Protocol;

namespace Ouroboros.Sandbox;

/// <summary>
/// The frames one worker sends, read on a thread of its own and stamped with the moment they came
/// off the pipe. The host judges time limits by those stamps, not by when it gets round to a frame:
/// on Unix an asynchronous pipe read is a blocking read queued to the thread pool, and when the
/// host's pool is busy (a run scoring many programs at once, a test suite on two cores) a result
/// could sit in the pipe past its limit and be called a timeout, or a late host could let a slow
/// program off.
/// </summary>
internal sealed class WorkerFrames : IDisposable
{
    // Bounded: a worker that streams frames (with the policy off a program can write its own) is
    // held back by the pipe, not buffered in the host, until its session kills it.
    private readonly Channel<(JsonObject Frame, long ArrivedAt)> _frames = Channel.CreateBounded<(JsonObject, long)>(
        new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();

    public WorkerFrames(FrameChannel channel, string name)
    {
        new Thread(() => Pump(channel)) { IsBackground = true, Name = name }.Start();
    }

    private void Pump(FrameChannel channel)
    {
        try
        {
            while (channel.Read(out var attachment) is { } frame)
            {
                if (attachment.Length > 0) throw new InvalidDataException("a frame from the worker carries an attachment");
                var item = (frame, Stopwatch.GetTimestamp());
                while (!_frames.Writer.TryWrite(item))
                    if (!_frames.Writer.WaitToWriteAsync(_stop.Token).AsTask().GetAwaiter().GetResult()) return;
            }
            _frames.Writer.TryComplete();
        }
        catch (OperationCanceledException) { _frames.Writer.TryComplete(); }
        catch (Exception e) { _frames.Writer.TryComplete(e); }
    }

    /// <summary>Takes a frame that has arrived, with its arrival (a <see cref="Stopwatch"/> timestamp), without waiting.</summary>
    public bool TryRead(out JsonObject frame, out long arrivedAt)
    {
        var taken = _frames.Reader.TryRead(out var item);
        (frame, arrivedAt) = item;
        return taken;
    }

    /// <summary>
    /// Completes when a frame can be taken (true) or none ever will (false: the worker's output
    /// ended). A malformed frame throws what <see cref="FrameChannel.Read"/> threw (an
    /// <see cref="InvalidDataException"/>, say) once the frames before it are taken.
    /// </summary>
    public Task<bool> WaitAsync(CancellationToken cancellationToken = default) =>
        _frames.Reader.WaitToReadAsync(cancellationToken).AsTask();

    /// <summary>The next frame, or null when the worker's output ended.</summary>
    public async Task<JsonObject?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (await WaitAsync(cancellationToken))
            if (TryRead(out var frame, out _)) return frame;
        return null;
    }

    /// <summary>Lets the reading thread go when nobody will read again; the pipe's end lets it go anyway.</summary>
    public void Dispose() => _stop.Cancel();
}
