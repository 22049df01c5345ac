namespace Ouroboros.Runs;

/// <summary>
/// An experiment's options are invalid. Names the option as the stored configuration and a
/// <c>--config</c> file do (<see cref="Option"/>, e.g. <c>metaUtilityRuns</c>), never a command-line
/// flag: the engine does not know how it was called; the CLI turns the name into its flag.
/// </summary>
public sealed class OptionsException(string option, string problem) : Exception($"{option} {problem}")
{
    /// <summary>The option's name in the configuration (camelCase).</summary>
    public string Option { get; } = option;

    /// <summary>What is wrong with it, as a sentence that follows the option's name.</summary>
    public string Problem { get; } = problem;
}
