using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.AI;
using Ouroboros.Contracts;

namespace Ouroboros.Models;

/// <summary>
/// <c>offline</c>: a program-mutation model, not a language model. It takes the first fenced block
/// of the last user message, applies a few random meaning-changing mutations
/// (<see cref="ProgramMutator"/>), keeps the first mutant that compiles no worse than the original
/// (<see cref="MutantCompiler"/>), and answers as a model would: one line naming the mutations,
/// then the code in a <c>csharp</c> block. Temperature scales the mutation strength; the seed, the
/// request and the sample index (<see cref="ChatConventions"/>) fix every draw. No network, no weights:
/// a newcomer without a key can run the whole STOP loop on it.
/// </summary>
public sealed class OfflineMutationModel : IChatClient
{
    private readonly ulong _seed;
    private readonly int _attempts;
    // Errors of the programs being mutated: STOP asks about the same few programs over and over.
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _originalErrors = new();

    /// <param name="seed">Fixes every random draw, together with the request and the sample index.</param>
    /// <param name="attemptsPerSample">Mutants tried per completion before giving back the original.</param>
    public OfflineMutationModel(ulong seed = 0, int attemptsPerSample = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsPerSample, 1);
        _seed = seed;
        _attempts = attemptsPerSample;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        int n = ChatConventions.Count(options);
        long first = ChatConventions.FirstSample(options);
        double temperature = options?.Temperature ?? 0.7;
        var hash = RequestHash.Of(ModelSpec.OfflineModelName, list, options);
        var blocks = CodeBlocks.All(ChatConventions.LastUserText(list));
        if (blocks.Count == 0)
        {
            const string nothing = "The offline mutation model found no fenced C# block in the prompt, so it has nothing to mutate.";
            return Task.FromResult(ChatConventions.WithEstimatedUsage(ChatConventions.Response(Enumerable.Repeat(nothing, n), ModelSpec.OfflineModelName), list));
        }
        // Compiling is CPU work: run it off the caller's thread so concurrent callers share the cores.
        return Task.Run(() =>
        {
            // Each sample has its own seed, so drawing them in parallel changes nothing but the wait.
            var completions = new string[n];
            Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken },
                i => completions[i] = Answer(blocks[0], temperature, RequestHash.Seed(_seed, hash, first + i)));
            // It counts no tokens; estimated ones let token budgets and the usage table work offline.
            return ChatConventions.WithEstimatedUsage(ChatConventions.Response(completions, ModelSpec.OfflineModelName), list);
        }, cancellationToken);
    }

    /// <summary>One completion: a mutant of <paramref name="code"/> drawn with <paramref name="seed"/>.</summary>
    public string Answer(string code, double temperature, ulong seed)
    {
        var rng = new Random((int)(seed ^ (seed >> 32)));
        var tree = MutantCompiler.Parse(code);
        var original = _originalErrors.GetOrAdd(code, _ => MutantCompiler.Errors(tree));
        if (_originalErrors.Count > 1024) _originalErrors.Clear();
        // Mutations can undo each other (a swap swapped back); such a mutant differs only in layout.
        var layout = tree.GetRoot().NormalizeWhitespace().ToFullString();
        for (int attempt = 0; attempt < _attempts; attempt++)
        {
            var (root, mutations) = ProgramMutator.Mutate(tree.GetRoot(), rng, temperature);
            if (mutations.Count == 0) break;
            var text = root.ToFullString();
            if (root.NormalizeWhitespace().ToFullString() == layout) continue;
            if (!MutantCompiler.Acceptable(original, MutantCompiler.Errors(MutantCompiler.Parse(text)))) continue;
            return $"Mutations: {string.Join("; ", mutations)}.\n\n```csharp\n{text.TrimEnd()}\n```";
        }
        return $"No mutant that compiles was found in {_attempts} attempts; the program is returned unchanged.\n\n```csharp\n{code.TrimEnd()}\n```";
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? ModelPipeline.Metadata(ModelSpec.Parse("offline"))
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
