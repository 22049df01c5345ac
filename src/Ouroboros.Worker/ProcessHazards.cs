namespace Ouroboros.Worker;

/// <summary>
/// Exceptions that leave the process changed for good even when a program catches them. A type
/// initializer that fails is remembered by the runtime for the life of the process: a program that
/// fills the heap and then touches <c>Comparer&lt;int&gt;.Default</c> for the first time, inside its
/// own catch, broke every later program that sorts. So any out-of-memory exception (caught or not),
/// and any failed type initializer, retires the worker. Seen as first-chance exceptions, on every
/// thread, before any catch.
/// </summary>
internal static class ProcessHazards
{
    private static int _outOfMemory, _typeInitializer, _fullCollections;

    static ProcessHazards() => AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
    {
        // No allocation here: the handler runs inside the throw, perhaps with the heap full.
        if (e.Exception is OutOfMemoryException) Volatile.Write(ref _outOfMemory, 1);
        else if (e.Exception is TypeInitializationException) Volatile.Write(ref _typeInitializer, 1);
    };

    /// <summary>Starts watching (once) and forgets what earlier programs raised.</summary>
    public static void Reset()
    {
        Volatile.Write(ref _outOfMemory, 0);
        Volatile.Write(ref _typeInitializer, 0);
        _fullCollections = GC.CollectionCount(2);
    }

    /// <summary>Why the worker must retire after this program, or null.</summary>
    public static Retirement? Take()
    {
        // A memory-limit hit when the heap really filled (a full collection ran); an allocation
        // refused for its size alone (new int[int.MaxValue], caught as a fallback) used no memory
        // and is honest, but the worker still retires: no one can tell which initializers ran then.
        if (Volatile.Read(ref _outOfMemory) == 1)
            return new("the program ran out of memory (an OutOfMemoryException, caught or not): library types first touched then may have failed to initialize for the life of the process",
                GC.CollectionCount(2) > _fullCollections ? "memory_limit" : null);
        // A candidate's own static constructor that throws fails this way too, harmlessly (its type
        // goes with its load context): retire without an event, since it may also be the library's.
        if (Volatile.Read(ref _typeInitializer) == 1)
            return new("a type initializer failed, which the runtime remembers for the life of the process", Event: null);
        return null;
    }
}
