namespace Ouroboros.Contracts;

/// <summary>Thrown inside sandboxed code when the host could not serve a capability call (a model fault, say).</summary>
public sealed class CapabilityException(string kind, string message) : Exception(message)
{
    /// <summary>A short machine-readable kind, e.g. <c>model_timeout</c>.</summary>
    public string Kind { get; } = kind;
}
