namespace Ouroboros.Sandbox;

/// <summary>
/// A worker could not take a program in: it was gone when the program was sent, died (or did not
/// begin) before the program began, or died in the first invocation it ran after serving another
/// program (<see cref="MidProgram"/>). The pool decides whom that charges (see ProgramDispatch).
/// </summary>
internal sealed class WorkerUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The program had begun: a retry on a fresh worker that crashes too clears the program before it.</summary>
    public bool MidProgram { get; init; }
}
