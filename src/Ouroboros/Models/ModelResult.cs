using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// The outcome of one model call as a value: the completions, or the fault that stopped them.
/// Expected failures (a timeout, a malformed body, no choices) end here instead of unwinding a run;
/// the caller decides.
/// </summary>
public sealed record ModelResult(IReadOnlyList<string> Completions, ModelFaultKind? Fault = null, string? Detail = null)
{
    public bool Ok => Fault is null;

    /// <summary>
    /// Calls <paramref name="client"/> and turns a <see cref="ModelFaultException"/> into a failed
    /// result. Budget exhaustion and cancellation still throw: they end the run's use of the model.
    /// </summary>
    public static async Task<ModelResult> FromCallAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            return new ModelResult(ChatConventions.Texts(response));
        }
        catch (ModelFaultException e)
        {
            return new ModelResult([], e.Kind, e.Message);
        }
    }
}
