using System.Text;

namespace Ouroboros.Sandbox;

/// <summary>
/// A worker's standard error, read on a thread of its own: the first few kilobytes are kept (the
/// runtime's last words: a stack overflow, an abort) and the rest is read and thrown away, so the
/// worker never blocks on a full pipe and the host never holds more than the cap. The reader it
/// replaces (<c>BeginErrorReadLine</c>) built each line whole before the cap was looked at: a
/// program's 20-million-character line was 40 MB of host memory and then the crash message.
/// </summary>
internal sealed class StderrTail
{
    public const int MaxChars = 8192;

    private readonly StringBuilder _kept = new();
    private readonly Thread _reader;

    public StderrTail(Stream stream, string name)
    {
        // A small stack: the thread only copies bytes.
        _reader = new Thread(() => Pump(stream), maxStackSize: 256 * 1024) { IsBackground = true, Name = name };
        _reader.Start();
    }

    /// <summary>What was kept so far, at most <see cref="MaxChars"/> characters.</summary>
    public string Text { get { lock (_kept) return _kept.ToString(); } }

    /// <summary>Waits, at most <paramref name="wait"/>, for the worker's end of the pipe to close, so its last words are in.</summary>
    public void WaitForEnd(TimeSpan wait) => _reader.Join(wait);

    private void Pump(Stream stream)
    {
        var bytes = new byte[4096];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var decoder = Encoding.UTF8.GetDecoder();
        try
        {
            int n;
            while ((n = stream.Read(bytes, 0, bytes.Length)) > 0)
            {
                lock (_kept)
                {
                    if (_kept.Length >= MaxChars) continue; // drained, not kept
                    var count = decoder.GetChars(bytes, 0, n, chars, 0);
                    _kept.Append(chars, 0, Math.Min(count, MaxChars - _kept.Length));
                }
            }
        }
        // The worker is gone, or its stream was disposed under us: either way nothing more will come,
        // and an exception escaping this thread would end the host.
        catch (Exception) { }
    }
}
