using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Ouroboros.Runs;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// The loop against a user's chat model: M1 is the model given (<c>--model</c>; nothing is trained
/// here), prompts come from the user's file, M_{t+1} from the user's trainer (<see cref="TrainerCommand"/>),
/// which serves it and names it by spec. No hidden rubric and no held-out evaluation: the report shows
/// what the loop itself measured (pairs, lengths). The given model answers through the run's own
/// pipeline; each trained model through one built for its spec (<paramref name="clientFor"/>), with the
/// same store, seed and recording.
/// </summary>
public sealed class ChatSetup(string modelSpec, IReadOnlyList<string> prompts, string trainerCommand, Func<string, IChatClient> clientFor, string? trainerFolder = null)
    : ISelfRewardingSetup
{
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new();
    private RunContext? _run;

    public string Description => $"chat model {modelSpec} + trainer command";

    public bool TrainsSeedModel => false;

    public IPreferenceTrainer Trainer => new TrainerCommand(trainerCommand, Model, trainerFolder);

    public IRubric? Rubric => null;

    public void Attach(RunContext run) => _run = run;

    public Task<ISelfRewardingModel> SeedModelAsync(bool withJudgeExamples, long seed, CancellationToken cancellationToken) => Task.FromResult(Model(modelSpec));

    public Task<ISelfRewardingModel> ModelAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Model(id));

    /// <summary>
    /// Iteration t's prompts: the file in an order fixed by the seed, taken <paramref name="count"/> at a
    /// time, t = 1 first — new prompts each iteration, as in the paper, until the file runs out; then it
    /// wraps around (the report's prompt count says how many were distinct).
    /// </summary>
    public IReadOnlyList<string> Prompts(int iteration, int count, long seed)
    {
        var order = prompts.ToArray();
        new Random(unchecked((int)seed ^ (int)(seed >> 32))).Shuffle(order);
        return Enumerable.Range((iteration - 1) * count, count).Select(i => order[i % order.Length]).ToList();
    }

    public Task<IReadOnlyList<ModelMetric>> EvaluateAsync(ISelfRewardingModel model, long seed, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ModelMetric>>([]);

    private ISelfRewardingModel Model(string spec)
    {
        var run = _run ?? throw new InvalidOperationException("the chat setup is used before the experiment attached the run");
        var client = spec == modelSpec ? run.Model : _clients.GetOrAdd(spec, clientFor);
        return new ChatSelfRewardingModel(spec, client, run.Path, run.Parallel);
    }
}
