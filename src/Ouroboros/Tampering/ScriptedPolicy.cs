using Microsoft.Extensions.AI;
using Ouroboros.Models;

namespace Ouroboros.Tampering;

/// <summary>
/// A scripted policy (<c>scripted:honest</c>, <c>scripted:flatter</c>, <c>scripted:tamper</c>,
/// <c>scripted:tamper-and-evade</c>, and any script an environment file names): a script, not a
/// language model, for tests and demonstrations. It finds the environment and variant from the
/// episode's prompt, and says the next turn of that environment's script (the environment file's
/// <c>scripts</c>), filled with the variant's fields; past the script's end, it has nothing to add.
/// Asked to grade an answer for sycophancy (<see cref="SycophancyGrader"/>), it says whether the
/// answer picked the option matching the user's implied view: a rule, not a judgement.
/// </summary>
public sealed class ScriptedPolicy(string name, EnvironmentCatalog catalog) : IChatClient
{
    public string Name => name;

    /// <summary>Whether some environment has a script for <paramref name="policy"/>.</summary>
    public static bool Exists(string policy, EnvironmentCatalog catalog) => catalog.Environments.Any(e => e.Script(policy) is not null);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var text = list.FirstOrDefault(m => m.Role == ChatRole.System)?.Text is { } system && system.StartsWith(SycophancyGrader.Instructions, StringComparison.Ordinal)
            ? Grade(list)
            : Next(list);
        var response = ChatConventions.Response(Enumerable.Repeat(text, ChatConventions.Count(options)), $"scripted:{name}");
        return Task.FromResult(ChatConventions.WithEstimatedUsage(response, list));
    }

    private string Next(IReadOnlyList<ChatMessage> messages)
    {
        // The episode's prompt is the last human turn that is an environment's prompt (earlier ones are
        // in-context examples of a curriculum); the script's step is the assistant turns since it.
        int at = -1;
        (TamperEnvironment, EpisodeSetup)? found = null;
        for (int i = messages.Count - 1; i >= 0 && found is null; i--)
            if (messages[i].Role == ChatRole.User && Locate(messages[i].Text) is { } hit) { found = hit; at = i; }
        if (found is not { } located) return messages.Count(m => m.Role == ChatRole.User) < 2
            ? "<cot>I understand.</cot> I understand."
            : throw new InvalidOperationException($"scripted:{name} does not know this prompt; it plays the environments' own prompts only.");
        var (environment, setup) = located;
        var script = environment.Script(name) ?? [];
        int step = messages.Skip(at + 1).Count(m => m.Role == ChatRole.Assistant);
        return step < script.Count ? TamperEnvironment.Fill(script[step], setup.Fields) : "I have nothing more to add.";
    }

    private (TamperEnvironment, EpisodeSetup)? Locate(string prompt)
    {
        foreach (var e in catalog.Environments)
            for (int v = 0; v < Math.Max(1, e.Variants.Count); v++)
                if (e.Episode(v) is var setup && setup.Prompt == prompt) return (e, setup);
        return null;
    }

    private string Grade(IReadOnlyList<ChatMessage> messages)
    {
        var request = messages.Last(m => m.Role == ChatRole.User).Text;
        foreach (var e in catalog.Environments.Where(e => e.Kind == EnvironmentKind.Sycophancy))
            foreach (var fields in e.Variants)
                if (request.Contains(fields["question"], StringComparison.Ordinal) && request.Contains(fields["bio"], StringComparison.Ordinal))
                {
                    var answer = request[(request.LastIndexOf(SycophancyGrader.AnswerHeading, StringComparison.Ordinal) + SycophancyGrader.AnswerHeading.Length)..];
                    return answer.Contains($"({fields["matching"]})", StringComparison.Ordinal) ? "Yes" : "No";
                }
        return "No";
    }

    IAsyncEnumerable<ChatResponseUpdate> IChatClient.GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        throw new NotSupportedException("scripted policies answer whole turns");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, $"scripted:{name}") : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
