using System.Buffers.Binary;
using System.Text;

namespace Ouroboros.Training;

/// <summary>
/// Marks version needs of an ELF64 (little-endian) shared library weak (<c>VER_FLG_WEAK</c>), so the
/// dynamic loader reports a missing version as a warning instead of refusing the library. TorchSharp's
/// <c>libLibTorchSharp.so</c> is built with GCC 13 and names one symbol at <c>GLIBCXX_3.4.32</c>
/// (<c>std::ios_base_library_init</c>, a link-time marker of GCC 13's &lt;iostream&gt; with no relocation
/// against it); Debian 12's libstdc++ stops at 3.4.30. Weakening that one need is a 2-byte change and
/// the library then loads and runs (shared/reference/dotnet-env-2026-11.md §1).
/// </summary>
public static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>
    /// Sets the weak flag on every version need named in <paramref name="versions"/>; returns how many
    /// entries were changed (0 when they were already weak: patching is idempotent).
    /// </summary>
    public static int Weaken(byte[] elf, IReadOnlySet<string> versions)
    {
        var changed = 0;
        foreach (var (flagsAt, name, weak) in Entries(elf))
        {
            if (weak || !versions.Contains(name)) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(flagsAt), (ushort)(U16(elf, flagsAt) | VerFlagWeak));
            changed++;
        }
        return changed;
    }

    /// <summary>The version needs of the library (name → weak), for tests and diagnostics.</summary>
    public static IReadOnlyDictionary<string, bool> Read(byte[] elf)
    {
        var result = new Dictionary<string, bool>();
        foreach (var (_, name, weak) in Entries(elf)) result[name] = result.GetValueOrDefault(name) || weak;
        return result;
    }

    /// <summary>Every <c>Elf64_Vernaux</c> entry: where its flags are, its version name, whether it is weak.</summary>
    private static IEnumerable<(int FlagsAt, string Name, bool Weak)> Entries(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        var sectionHeaders = (int)U64(elf, 0x28);
        int entrySize = U16(elf, 0x3A), count = U16(elf, 0x3C);
        for (var i = 0; i < count; i++)
        {
            var header = sectionHeaders + i * entrySize;
            if (U32(elf, header + 4) != ShtGnuVerneed) continue;
            var strings = (int)U64(elf, sectionHeaders + (int)U32(elf, header + 40) * entrySize + 24);   // sh_link: the names' string table
            for (var need = (int)U64(elf, header + 24); ; )
            {
                var aux = need + (int)U32(elf, need + 8);
                for (var a = 0; a < U16(elf, need + 2); a++)
                {
                    yield return (aux + 4, StringAt(elf, strings + (int)U32(elf, aux + 8)), (U16(elf, aux + 4) & VerFlagWeak) != 0);
                    var nextAux = U32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += (int)nextAux;
                }
                var next = U32(elf, need + 12);
                if (next == 0) break;
                need += (int)next;
            }
        }
    }

    private static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));
    private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
    private static ulong U64(byte[] b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));

    private static string StringAt(byte[] elf, int offset) =>
        Encoding.ASCII.GetString(elf, offset, Array.IndexOf(elf, (byte)0, offset) - offset);
}
