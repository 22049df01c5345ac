namespace Ouroboros.Sandbox;

/// <summary>A worker could not take a program at all (it died while idle); the pool retries on another.</summary>
internal sealed class WorkerUnavailableException(string message, Exception inner) : Exception(message, inner);
