using Microsoft.Extensions.AI;
using Ouroboros.Models;
using Ouroboros.Runs;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// M_t as a chat model behind the project's model pipeline (ledger, budgets, retries, record and
/// replay): it answers a prompt as the user's message and judges with the paper's prompt, verbatim
/// (<see cref="JudgePrompt"/>). Each request names its position, <c>sr{seed}/p{i}/answer</c> or
/// <c>sr{seed}/j{k}/judge</c> under the run's path, and <see cref="DrawSeedChatClient"/> turns that into
/// the request's seed: a resume or a replay draws the same answers, whatever ran side by side.
/// </summary>
public sealed class ChatSelfRewardingModel(string spec, IChatClient client, CallPath path, int parallel) : ISelfRewardingModel
{
    /// <summary>The model's spec, the same syntax <c>--model</c> takes: a served model is what it is called.</summary>
    public string Id => spec;

    public string JudgeFormat => "paper";

    public async Task<IReadOnlyList<string>> AnswerAsync(IReadOnlyList<string> prompts, int samples, SamplingSettings sampling, long seed, CancellationToken cancellationToken)
    {
        var answers = await AskAllAsync(prompts, samples, sampling, $"sr{seed}", "p", "answer", cancellationToken);
        return answers.SelectMany(a => a).ToList();
    }

    public async Task<IReadOnlyList<string>> JudgeAsync(IReadOnlyList<JudgedItem> items, SamplingSettings sampling, long seed, CancellationToken cancellationToken)
    {
        var prompts = items.Select(i => JudgePrompt.Render(i.Prompt, i.Response)).ToList();
        var judgements = await AskAllAsync(prompts, 1, sampling, $"sr{seed}", "j", "judge", cancellationToken);
        return judgements.Select(j => j[0]).ToList();
    }

    /// <summary>Each prompt asked once for <paramref name="samples"/> completions, side by side; the critical path grows by one round trip.</summary>
    private async Task<IReadOnlyList<IReadOnlyList<string>>> AskAllAsync(IReadOnlyList<string> prompts, int samples, SamplingSettings sampling,
        string batch, string prefix, string draw, CancellationToken cancellationToken)
    {
        var lines = Enumerable.Range(0, prompts.Count).Select(i => path.Child($"{batch}/{prefix}{i}")).ToList();
        var texts = await Fanout.RunAsync(prompts.Count, parallel, async i =>
        {
            var request = ChatConventions.With(ChatConventions.With(ChatConventions.With(
                new ChatOptions { Temperature = (float)sampling.Temperature, TopP = (float)sampling.TopP, MaxOutputTokens = sampling.MaxTokens },
                ChatConventions.CountKey, samples), ChatConventions.PositionKey, lines[i].Draw(draw)), ChatConventions.ProseKey, true);
            lines[i].RoundTrip();
            var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, prompts[i])], request, cancellationToken);
            var completions = ChatConventions.Texts(response);
            if (completions.Count < samples)
                throw new ModelFaultException(ModelFaultKind.MalformedResponse, $"{spec} returned {completions.Count} completions where {samples} were asked for");
            return (IReadOnlyList<string>)completions.Take(samples).ToList();
        }, cancellationToken);
        path.Join(lines);
        return texts;
    }
}
