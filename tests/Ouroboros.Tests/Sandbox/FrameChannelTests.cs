using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Ouroboros.Sandbox;
using Ouroboros.Sandbox.Protocol;

namespace Ouroboros.Tests.Sandbox;

public sealed class FrameChannelTests
{
    private static (FrameChannel Writer, Func<FrameChannel> Reader, MemoryStream Wire) Pair(int max = 1 << 20)
    {
        var wire = new MemoryStream();
        return (new FrameChannel(Stream.Null, wire, max), () => new FrameChannel(new MemoryStream(wire.ToArray()), Stream.Null, max), wire);
    }

    [Fact]
    public async Task Frames_and_an_attachment_arrive_whole_and_in_order_whatever_their_size()
    {
        var (writer, reader, _) = Pair();
        var image = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray(); // larger than the read buffer
        await writer.WriteAsync(new JsonObject { ["type"] = "run", ["n"] = 1 }, image);
        await writer.WriteAsync(new JsonObject { ["type"] = "reply", ["text"] = "a+b</script>\u00e9" });
        var channel = reader();
        var first = channel.Read(out var attachment);
        Assert.Equal(1, (int)first!["n"]!);
        Assert.Equal(image, attachment);
        var second = channel.Read(out var none);
        Assert.Equal("a+b</script>\u00e9", (string)second!["text"]!);
        Assert.Empty(none);
        Assert.Null(channel.Read(out _));
    }

    [Fact]
    public async Task The_host_refuses_a_frame_that_carries_an_attachment()
    {
        var (writer, reader, _) = Pair();
        await writer.WriteAsync(new JsonObject { ["type"] = "done" }, new byte[] { 1, 2, 3 });
        using var frames = new WorkerFrames(reader(), "test-frames");
        await Assert.ThrowsAsync<InvalidDataException>(() => frames.ReadAsync());
    }

    [Fact]
    public async Task The_host_takes_frames_in_order_each_stamped_when_it_came_off_the_pipe()
    {
        // Limits are judged by these stamps, not by when the host gets round to a frame.
        var (writer, reader, _) = Pair();
        await writer.WriteAsync(new JsonObject { ["type"] = "done", ["index"] = 0 });
        await writer.WriteAsync(new JsonObject { ["type"] = "finished" });
        var before = System.Diagnostics.Stopwatch.GetTimestamp();
        using var frames = new WorkerFrames(reader(), "test-frames");
        Assert.True(await frames.WaitAsync());
        var available = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.Delay(50); // the host gets round to the frame later
        Assert.True(frames.TryRead(out var first, out var firstArrived));
        Assert.Equal("done", (string?)first["type"]);
        // Stamped on arrival, no later than it could be read, not when the host took it (an order of readings, no duration).
        Assert.InRange(firstArrived, before, available);
        Assert.Equal("finished", (string?)(await frames.ReadAsync())!["type"]);
        Assert.Null(await frames.ReadAsync());
        Assert.False(await frames.WaitAsync());
    }

    [Fact]
    public async Task Lengths_outside_the_limit_and_a_cut_off_frame_are_errors_not_hangs()
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, 2_000_000);
        await Assert.ThrowsAsync<InvalidDataException>(() => HostRead(header));
        BinaryPrimitives.WriteInt32BigEndian(header, -1);
        Assert.Throws<InvalidDataException>(() => new FrameChannel(new MemoryStream(header), Stream.Null, 1 << 20).Read(out _));

        var (writer, reader, wire) = Pair();
        await writer.WriteAsync(new JsonObject { ["type"] = "done", ["index"] = 0 });
        var cut = wire.ToArray()[..^3];
        await Assert.ThrowsAsync<EndOfStreamException>(() => HostRead(cut));
        await Assert.ThrowsAsync<EndOfStreamException>(() => HostRead(cut[..5]));
    }

    private static async Task<JsonObject?> HostRead(byte[] wire)
    {
        using var frames = new WorkerFrames(new FrameChannel(new MemoryStream(wire), Stream.Null, 1 << 20), "test-frames");
        return await frames.ReadAsync();
    }
}
