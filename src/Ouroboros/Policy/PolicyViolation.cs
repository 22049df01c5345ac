namespace Ouroboros.Policy;

/// <summary>One use of something sandboxed code may never touch: the symbol, where, and why it is barred.</summary>
public sealed record PolicyViolation(string Symbol, int Line, int Column, string Rule)
{
    /// <summary>True when the violation is an attempt to stand in for a host capability (a model of its own).</summary>
    public bool BudgetCircumvention { get; init; }

    public override string ToString() => $"({Line},{Column}): {Symbol} — {Rule}";
}
