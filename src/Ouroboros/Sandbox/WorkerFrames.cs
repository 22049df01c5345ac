using System.Text.Json.Nodes;
using System.Threading.Channels;
using Ouroboros.Sandbox.Protocol;

namespace Ouroboros.Sandbox;

/// <summary>
/// The frames one worker sends, read on a thread of its own. On Unix an asynchronous pipe read is
/// a blocking read queued to the thread pool; when the host's pool is busy (a run scoring many
/// programs at once, a test suite on two cores) that read can wait in the queue behind other work
/// while the worker's result sits in the pipe, and the host would kill the worker for a time limit
/// it had in fact met. Here a result is taken off the pipe the moment it is written, so the
/// session's check for a pending frame before it kills is true to what the worker did.
/// </summary>
internal sealed class WorkerFrames : IDisposable
{
    // Bounded: a worker that streams frames (with the policy off a program can write its own) is
    // held back by the pipe, not buffered in the host, until its session kills it.
    private readonly Channel<JsonObject> _frames = Channel.CreateBounded<JsonObject>(
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
                while (!_frames.Writer.TryWrite(frame))
                    if (!_frames.Writer.WaitToWriteAsync(_stop.Token).AsTask().GetAwaiter().GetResult()) return;
            }
            _frames.Writer.TryComplete();
        }
        catch (OperationCanceledException) { _frames.Writer.TryComplete(); }
        catch (Exception e) { _frames.Writer.TryComplete(e); }
    }

    /// <summary>
    /// The next frame, or null when the worker's output ended. A malformed frame throws what
    /// <see cref="FrameChannel.Read"/> threw (an <see cref="InvalidDataException"/>, say).
    /// </summary>
    public async Task<JsonObject?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (await _frames.Reader.WaitToReadAsync(cancellationToken))
            if (_frames.Reader.TryRead(out var frame)) return frame;
        return null;
    }

    /// <summary>Whether a frame has arrived that <see cref="ReadAsync"/> has not yet handed out.</summary>
    public bool Pending => _frames.Reader.TryPeek(out _);

    /// <summary>Lets the reading thread go when nobody will read again; the pipe's end lets it go anyway.</summary>
    public void Dispose() => _stop.Cancel();
}
