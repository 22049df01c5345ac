namespace Ouroboros.Compilation;

/// <summary>A compiled candidate: its image when the compile succeeded, the diagnostics either way.</summary>
public sealed record CompiledProgram(string Hash, byte[]? Image, IReadOnlyList<CompileDiagnostic> Diagnostics, double CompileMs)
{
    public bool Succeeded => Image is not null;
}
