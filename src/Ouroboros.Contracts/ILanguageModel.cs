namespace Ouroboros.Contracts;

/// <summary>
/// The language model as an improver sees it, with STOP's semantics: each call to
/// <see cref="Prompt"/> or <see cref="BatchPrompt"/> counts once against <see cref="Budget"/>,
/// however many responses it returns; a call past the budget throws
/// <see cref="BudgetExceededException"/>.
/// </summary>
public interface ILanguageModel
{
    /// <summary>Asks for <paramref name="nResponses"/> completions of one message.</summary>
    IReadOnlyList<string> Prompt(string expertise, string message, int nResponses = 1, double temperature = 0.7);

    /// <summary>One completion per message; identical messages go out as one request.</summary>
    IReadOnlyList<string> BatchPrompt(string expertise, IReadOnlyList<string> messages, double temperature = 0.7);

    /// <summary>How many calls this improver run may make.</summary>
    int Budget { get; }

    /// <summary>The most responses (or messages) one call may ask for.</summary>
    int MaxResponsesPerCall { get; }
}
