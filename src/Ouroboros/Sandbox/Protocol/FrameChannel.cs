using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Sandbox.Protocol;

/// <summary>
/// Length-prefixed JSON frames over a pair of streams, shared as source by the host and the worker.
/// The worker moves these streams off file descriptors 0 and 1 before any candidate runs, so nothing
/// a candidate prints can land here; the length prefix means stray bytes could never parse as a
/// frame boundary anyway.
/// </summary>
internal sealed class FrameChannel(Stream input, Stream output, int maxFrameBytes)
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>Reads one frame, or null at end of stream. A malformed frame is an <see cref="InvalidDataException"/>.</summary>
    public async Task<JsonObject?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var header = new byte[4];
        if (!await FillAsync(header, cancellationToken)) return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length <= 0 || length > maxFrameBytes)
            throw new InvalidDataException($"frame of {length} bytes is outside 1..{maxFrameBytes}");
        var body = new byte[length];
        if (!await FillAsync(body, cancellationToken)) throw new EndOfStreamException("stream ended inside a frame");
        return JsonNode.Parse(body) as JsonObject ?? throw new InvalidDataException("frame is not a JSON object");
    }

    public async Task WriteAsync(JsonObject frame, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(frame);
        if (body.Length > maxFrameBytes) throw new InvalidDataException($"frame of {body.Length} bytes exceeds {maxFrameBytes}");
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, body.Length);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await output.WriteAsync(header, cancellationToken);
            await output.WriteAsync(body, cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
        finally { _writeLock.Release(); }
    }

    /// <summary>
    /// Blocking read, for the worker: on Unix, asynchronous pipe I/O borrows a thread-pool thread,
    /// which the worker keeps free so it can tell when a candidate left tasks running.
    /// </summary>
    public JsonObject? Read()
    {
        var header = new byte[4];
        if (!Fill(header)) return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length <= 0 || length > maxFrameBytes)
            throw new InvalidDataException($"frame of {length} bytes is outside 1..{maxFrameBytes}");
        var body = new byte[length];
        if (!Fill(body)) throw new EndOfStreamException("stream ended inside a frame");
        return JsonNode.Parse(body) as JsonObject ?? throw new InvalidDataException("frame is not a JSON object");
    }

    /// <summary>Blocking write, for the worker (see <see cref="Read"/>).</summary>
    public void Write(JsonObject frame)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(frame);
        if (body.Length > maxFrameBytes) throw new InvalidDataException($"frame of {body.Length} bytes exceeds {maxFrameBytes}");
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, body.Length);
        _writeLock.Wait();
        try
        {
            output.Write(header);
            output.Write(body);
            output.Flush();
        }
        finally { _writeLock.Release(); }
    }

    private bool Fill(byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            var n = input.Read(buffer.AsSpan(read));
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    private async Task<bool> FillAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            var n = await input.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }
}
