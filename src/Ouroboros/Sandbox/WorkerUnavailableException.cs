namespace Ouroboros.Sandbox;

/// <summary>
/// A worker could not take a program in: it was gone when the program was sent, or died (or did
/// not begin) before the program began. The pool decides whom that charges (see WorkerPool).
/// </summary>
internal sealed class WorkerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
