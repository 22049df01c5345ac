using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ouroboros.Worker;

/// <summary>
/// The worker's one JSON metadata resolver, which notices a candidate's own types. System.Text.Json
/// caches metadata, and reflection accessors, in places that outlive an options instance: a result
/// or parameter of a candidate's own type (or an object[] holding one) kept its collectible load
/// context, statics and image loaded after unload (a red-team program pinned 24 MB images this way,
/// one per program, until the worker hit its memory cap under an honest program). A worker that
/// served such a type is retired after the program, without blame: returning a record is honest.
/// </summary>
internal sealed class WatchfulJsonResolver : IJsonTypeInfoResolver
{
    private readonly DefaultJsonTypeInfoResolver _inner = new();
    private int _candidateTypes;

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
    {
        if (IsCandidates(type)) Interlocked.Increment(ref _candidateTypes);
        return _inner.GetTypeInfo(type, options);
    }

    /// <summary>Why the worker must retire, once a candidate's type has reached the caches.</summary>
    public Retirement? Pinned() => Volatile.Read(ref _candidateTypes) == 0 ? null
        : new("the program's own types went through the worker's JSON caches, which would keep it loaded", Event: null);

    /// <summary>Whether a type is, or is built from, a type of a collectible (candidate) assembly.</summary>
    private static bool IsCandidates(Type type)
    {
        if (type.Assembly.IsCollectible) return true;
        if (type.HasElementType && IsCandidates(type.GetElementType()!)) return true;
        return type.IsGenericType && type.GetGenericArguments().Any(IsCandidates);
    }
}
