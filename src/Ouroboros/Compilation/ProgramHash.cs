using System.Security.Cryptography;
using System.Text;

namespace Ouroboros.Compilation;

/// <summary>Programs are content-addressed: the hash of a program is SHA-256 of its source text, lowercase hex.</summary>
public static class ProgramHash
{
    public static string Of(string source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
}
