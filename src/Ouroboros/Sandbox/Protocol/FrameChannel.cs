using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Sandbox.Protocol;

/// <summary>
/// Length-prefixed JSON frames over a pair of streams, shared as source by the host and the worker.
/// The worker moves these streams off file descriptors 0 and 1 before any candidate runs, so nothing
/// a candidate prints can land here; the length prefix means stray bytes could never parse as a
/// frame boundary anyway. A frame from the host may carry a binary attachment (a program's image);
/// frames from the worker never do.
/// </summary>
/// <remarks>
/// Wire format: the JSON's length and the attachment's length (big-endian 32-bit), the JSON, the
/// attachment. A frame goes out in one write and reads take whatever the pipe holds into a buffer:
/// on a warm evaluation of well under a millisecond, every system call on a pipe and every
/// kilobyte of base64 in JSON shows.
/// </remarks>
internal sealed class FrameChannel(Stream input, Stream output, int maxFrameBytes)
{
    private const int HeaderBytes = 8;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end; // the unread bytes are _buffer[_start.._end]

    /// <summary>
    /// Reads one frame and its attachment (empty if none), or null at end of stream; a malformed
    /// frame is an <see cref="InvalidDataException"/>. It blocks: on Unix an asynchronous pipe read
    /// borrows a thread-pool thread, which the worker keeps free so it can tell when a candidate left
    /// tasks running, and which the host's pool may be too busy to lend in time. Both sides read on
    /// threads of their own.
    /// </summary>
    public JsonObject? Read(out byte[] attachment)
    {
        attachment = [];
        while (_end - _start < HeaderBytes)
            if (!Fill()) return End();
        var (jsonLength, attachmentLength) = Lengths();
        var length = jsonLength + attachmentLength;
        byte[] body;
        if (length <= _buffer.Length - HeaderBytes)
        {
            while (_end - _start < HeaderBytes + length)
                if (!Fill()) throw new EndOfStreamException("stream ended inside a frame");
            body = _buffer.AsSpan(_start + HeaderBytes, length).ToArray();
            _start += HeaderBytes + length;
        }
        else
        {
            body = TakeLarge(length, out var have);
            while (have < length)
            {
                var n = input.Read(body.AsSpan(have));
                if (n == 0) throw new EndOfStreamException("stream ended inside a frame");
                have += n;
            }
        }
        attachment = body[jsonLength..];
        return Parse(body.AsMemory(0, jsonLength));
    }

    public async Task WriteAsync(JsonObject frame, ReadOnlyMemory<byte> attachment = default, CancellationToken cancellationToken = default)
    {
        var bytes = Encode(frame, attachment.Span);
        await _writeLock.WaitAsync(cancellationToken);
        try { await output.WriteAsync(bytes, cancellationToken); }
        finally { _writeLock.Release(); }
    }

    /// <summary>Blocking write, for the worker.</summary>
    public void Write(JsonObject frame)
    {
        var bytes = Encode(frame, default);
        _writeLock.Wait();
        try { output.Write(bytes); }
        finally { _writeLock.Release(); }
    }

    // Both ends are our own code, not a browser: escaping for HTML would only cost time.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private byte[] Encode(JsonObject frame, ReadOnlySpan<byte> attachment)
    {
        using var stream = new MemoryStream();
        stream.Write(stackalloc byte[HeaderBytes]);
        using (var writer = new Utf8JsonWriter(stream, WriterOptions)) frame.WriteTo(writer);
        var jsonLength = (int)stream.Length - HeaderBytes;
        if ((long)jsonLength + attachment.Length > maxFrameBytes)
            throw new InvalidDataException($"frame of {(long)jsonLength + attachment.Length} bytes exceeds {maxFrameBytes}");
        stream.Write(attachment);
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes, jsonLength);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), attachment.Length);
        return bytes;
    }

    private (int Json, int Attachment) Lengths()
    {
        var json = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start));
        var attachment = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + 4));
        if (json <= 0 || attachment < 0 || (long)json + attachment > maxFrameBytes)
            throw new InvalidDataException($"frame of {json} + {attachment} bytes is outside 1..{maxFrameBytes}");
        return (json, attachment);
    }

    private JsonObject? End() =>
        _end == _start ? null : throw new EndOfStreamException("stream ended inside a frame header");

    private JsonObject Take(int length)
    {
        var body = _buffer.AsMemory(_start + HeaderBytes, length);
        _start += HeaderBytes + length;
        return Parse(body);
    }

    /// <summary>A frame bigger than the buffer: what is buffered of it, in an array of its own.</summary>
    private byte[] TakeLarge(int length, out int have)
    {
        var body = new byte[length];
        have = _end - _start - HeaderBytes;
        _buffer.AsSpan(_start + HeaderBytes, have).CopyTo(body);
        _start = _end = 0;
        return body;
    }

    private static JsonObject Parse(ReadOnlyMemory<byte> body) =>
        JsonNode.Parse(body.Span) as JsonObject ?? throw new InvalidDataException("frame is not a JSON object");

    /// <summary>Moves what is unread to the front and reads what the stream has; false at its end.</summary>
    private void Compact()
    {
        if (_start == 0) return;
        _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
        _end -= _start;
        _start = 0;
    }

    private bool Fill()
    {
        Compact();
        var n = input.Read(_buffer.AsSpan(_end));
        _end += n;
        return n > 0;
    }
}
