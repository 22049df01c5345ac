using Ouroboros.Runs;
using Ouroboros.Stop;

namespace Ouroboros.Improve;

/// <summary>One improver, once, on one task's seed solution.</summary>
public sealed record ImproveOptions : ImproverOptions
{
    public const string KindName = "improve";
    public override string Kind => KindName;

    /// <summary>The task whose seed solution is improved.</summary>
    public string Task { get; init; } = "3sat";

    /// <summary>The improver: <c>seed</c> (I₀) or a program hash (the CLI resolves a file or a run id to the hash it stores).</summary>
    public string Improver { get; init; } = "seed";

    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(Improver)) throw new OptionsException("improver", "is required: 'seed', a C# file, a STOP run id or a program hash");
    }
}
