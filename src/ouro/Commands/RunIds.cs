namespace Ouroboros.Cli.Commands;

/// <summary>Run ids users can type: the kind, the UTC time, and a few random characters.</summary>
internal static class RunIds
{
    public static string New(string kind) =>
        $"{kind}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2))}";
}
