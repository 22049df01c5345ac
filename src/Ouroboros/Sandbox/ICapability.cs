using System.Text.Json.Nodes;

namespace Ouroboros.Sandbox;

/// <summary>
/// A host service lent to sandboxed code, e.g. a utility or a language model. Sandboxed code sees it
/// as an interface of Ouroboros.Contracts; every call crosses the process boundary and is served
/// here, where budgets are enforced. An argument <c>{"$capability": Name}</c> in an invocation
/// becomes the proxy.
/// </summary>
public interface ICapability
{
    /// <summary>The name invocations use to refer to it, unique within one request.</summary>
    string Name { get; }

    /// <summary>The contracts interface the sandbox sees: <c>IUtility</c> or <c>ILanguageModel</c>.</summary>
    string Interface { get; }

    /// <summary>Values of the interface's read-only properties (<c>Description</c>, <c>Budget</c>, ...), fixed for the run.</summary>
    IReadOnlyDictionary<string, JsonNode?> Properties { get; }

    /// <summary>Serves one call. Throw <see cref="CapabilityFault"/> to raise an exception inside the candidate.</summary>
    Task<JsonNode?> InvokeAsync(string method, JsonArray arguments, CapabilityCall call, CancellationToken cancellationToken);
}

/// <summary>Who is calling: the program's hash, so budgets and events can name it.</summary>
public sealed record CapabilityCall(string ProgramHash, int Depth)
{
    /// <summary>Whether the capability answered without serving the call (see <see cref="Refuse"/>).</summary>
    public bool Refused { get; private set; }

    /// <summary>
    /// Says that this call was answered without being served, as a utility call past its budget
    /// that scores 0 without running is: its time is then the program's own, not the host's, and
    /// it counts towards the refused calls that end an invocation (a <see cref="CapabilityFault"/>
    /// of a refusing kind counts the same way).
    /// </summary>
    public void Refuse() => Refused = true;
}

/// <summary>
/// A refusal to serve a capability call, raised inside the candidate: kind <c>budget_exceeded</c>
/// becomes a <c>BudgetExceededException</c>, any other kind a <c>CapabilityException</c>.
/// </summary>
public sealed class CapabilityFault(string kind, string message) : Exception(message)
{
    public string Kind { get; } = kind;
    public const string BudgetExceeded = "budget_exceeded";
}
