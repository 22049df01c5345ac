namespace Ouroboros.Contracts;

/// <summary>Thrown inside sandboxed code when it calls a capability past its budget, as STOP's model does.</summary>
public sealed class BudgetExceededException(string message) : Exception(message);
