namespace Ouroboros.Sandbox;

/// <summary>
/// Runs untrusted C# in isolation. The seam between the engine and how a deployment isolates code.
/// Never throws for anything the program does; only for cancellation or a broken installation.
/// </summary>
public interface ISandbox
{
    Task<ProgramRun> RunAsync(ProgramRequest request, CancellationToken cancellationToken = default);
}
