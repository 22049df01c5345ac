namespace Ouroboros.Compilation;

/// <summary>
/// A memory stream that refuses to grow past a cap: the compiler emits a candidate's image into it.
/// Constant folding lets a small program declare an enormous image (25 doublings of an 8-character
/// <c>const string</c> are ~200 MB of metadata); such an image would only fail later, as a frame
/// too large to send, after the host had held it whole.
/// </summary>
internal sealed class CappedStream(long cap) : MemoryStream
{
    /// <summary>Set once a write would have passed the cap; the stream's content is then incomplete.</summary>
    public bool Exceeded { get; private set; }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Guard(count);
        base.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Guard(buffer.Length);
        base.Write(buffer);
    }

    public override void WriteByte(byte value)
    {
        Guard(1);
        base.WriteByte(value);
    }

    public override void SetLength(long value)
    {
        if (value > cap) Refuse();
        base.SetLength(value);
    }

    private void Guard(int count)
    {
        if (Position + count > cap) Refuse();
    }

    private void Refuse()
    {
        Exceeded = true;
        throw new IOException($"the image is larger than {cap} bytes");
    }
}
