using System.Text;

namespace Ouroboros.Training;

/// <summary>
/// Byte-level tokens: the 256 UTF-8 byte values, then begin, end and padding. Any text has a
/// tokenization and every tokenization decodes, so nothing a model writes is lost to the vocabulary.
/// </summary>
public static class ByteTokenizer
{
    public const int Begin = 256, End = 257, Padding = 258;
    public const int VocabularySize = 259;

    public static int[] Encode(string text) => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    /// <summary>The text of <paramref name="tokens"/> up to the first end token; begin and padding are skipped.</summary>
    public static string Decode(IEnumerable<int> tokens)
    {
        var bytes = new List<byte>();
        foreach (var t in tokens)
        {
            if (t == End) break;
            if (t is >= 0 and < 256) bytes.Add((byte)t);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
