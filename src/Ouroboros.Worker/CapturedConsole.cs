using System.Text;

namespace Ouroboros.Worker;

/// <summary>
/// Installed once as Console.Out and Console.Error: routes whatever a candidate prints to the
/// current invocation's capped buffer, and to nowhere between invocations, so a leftover thread
/// cannot print into the next candidate's output. Crossing the cap calls <see cref="OnOverflow"/> once.
/// </summary>
internal sealed class CapturedConsole : TextWriter
{
    private readonly object _gate = new();
    private StringBuilder? _buffer;
    private int _cap;
    private bool _overflowed;

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Raised on the printing thread the first time the cap is crossed.</summary>
    public Action? OnOverflow { get; set; }

    public void Begin(int capChars)
    {
        lock (_gate) { _buffer = new StringBuilder(); _cap = capChars; _overflowed = false; }
    }

    /// <summary>Stops capturing and returns what was printed (at most the cap) and whether it overflowed.</summary>
    public (string Text, bool Overflowed) End()
    {
        lock (_gate)
        {
            var text = _buffer?.ToString() ?? "";
            var overflowed = _overflowed;
            _buffer = null;
            return (text, overflowed);
        }
    }

    public override void Write(char value) => Append(value.ToString());
    public override void Write(string? value) => Append(value);
    public override void Write(char[] buffer, int index, int count) => Append(new string(buffer, index, count));

    private void Append(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        Action? overflow = null;
        lock (_gate)
        {
            if (_buffer is null || _overflowed) return;
            var room = _cap - _buffer.Length;
            if (value.Length <= room) { _buffer.Append(value); return; }
            _buffer.Append(value, 0, Math.Max(0, room));
            _overflowed = true;
            overflow = OnOverflow;
        }
        overflow?.Invoke();
    }
}
