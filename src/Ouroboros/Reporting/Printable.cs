using System.Text;

namespace Ouroboros.Reporting;

/// <summary>
/// Makes text a program produced safe to show a person: every control character but newline and
/// tab, and the Unicode controls that reorder or hide text, is shown as <c>\u001B</c> and so on.
/// A program's stdout or exception text printed raw could retitle the terminal, overwrite earlier
/// lines (carriage return, cursor movement) or make a line read differently than it is (bidirectional
/// overrides). Machine output (JSON) needs none of this: its encoder escapes them already.
/// </summary>
public static class Printable
{
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        int first = text.AsSpan().IndexOfAny(Unprintable);
        if (first < 0) return text;
        var b = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (Unprintable.Contains(c)) b.Append($"\\u{(int)c:X4}");
            else b.Append(c);
        }
        return b.ToString();
    }

    /// <summary>C0 controls but tab and newline, DEL, C1 controls (0x9B is a one-byte escape), and the bidirectional, zero-width and line/paragraph separators.</summary>
    private static readonly System.Buffers.SearchValues<char> Unprintable = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n')).Select(c => (char)c),
         .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c),
         '\u061C', '\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u2028', '\u2029',
         .. Enumerable.Range(0x202A, 5).Select(c => (char)c), .. Enumerable.Range(0x2066, 4).Select(c => (char)c), '\uFEFF']);
}
