namespace Ouroboros.Compilation;

/// <summary>A compiler or policy finding, located in the candidate's own source (1-based), worded for a language model.</summary>
public sealed record CompileDiagnostic(int Line, int Column, string Id, string Message)
{
    public override string ToString() => $"({Line},{Column}): {Id}: {Message}";
}
