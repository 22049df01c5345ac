using System.Security.Cryptography;
using System.Text;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// The loop's seeds: each derived from its parent and a name (<c>self/s2/t1/answer</c>), by hash, so a
/// draw depends on where it is in the run and nothing else — not on which arms ran before it, or on
/// a resume.
/// </summary>
public static class LoopSeed
{
    public static long Of(long parent, string name) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"{parent}\u001f{name}"))) & long.MaxValue;
}
