namespace Ouroboros.Policy;

/// <summary>
/// What sandboxed code may use, as an allowlist of namespaces with a denylist of members inside
/// them. An allowlist fails closed: an API nobody thought of is barred until someone allows it.
/// </summary>
internal static class PolicyRules
{
    /// <summary>Namespaces whose types are allowed (exact match), apart from the barred types below.</summary>
    public static readonly HashSet<string> AllowedNamespaces =
    [
        "System", "System.Collections", "System.Collections.Generic", "System.Collections.Concurrent",
        "System.Collections.Immutable", "System.Collections.ObjectModel", "System.Linq", "System.Text",
        "System.Text.RegularExpressions", "System.Globalization", "System.Numerics", "System.Buffers",
        "System.Threading", "System.Threading.Tasks", "System.Diagnostics.CodeAnalysis",
        "System.Runtime.CompilerServices", "System.ComponentModel", "Ouroboros.Contracts",
    ];

    /// <summary>Single types allowed from otherwise barred namespaces.</summary>
    public static readonly HashSet<string> AllowedTypes =
    [
        // Not System.Diagnostics.Debug: with '#define DEBUG' its Fail and Assert end the process
        // through Environment.FailFast, and its provider, listeners and indent are process-wide.
        "System.Diagnostics.Stopwatch", "System.Diagnostics.ConditionalAttribute",
        "System.IO.StringReader", "System.IO.StringWriter", "System.IO.TextReader", "System.IO.TextWriter",
        "System.IO.MemoryStream", "System.IO.Stream", "System.IO.SeekOrigin", "System.IO.EndOfStreamException",
        "System.IO.InvalidDataException", "System.IO.IOException",
    ];

    /// <summary>Types barred wholesale inside allowed namespaces, with the reason shown to the model.</summary>
    public static readonly Dictionary<string, string> BarredTypes = new()
    {
        ["System.Activator"] = "dynamic code: creating objects by reflection",
        ["System.AppDomain"] = "AppDomain control",
        ["System.AppContext"] = "runtime configuration",
        ["System.GC"] = "garbage-collector control",
        ["System.Runtime.GCSettings"] = "garbage-collector control",
        ["System.Runtime.CompilerServices.Unsafe"] = "unsafe memory access",
        ["System.Runtime.CompilerServices.RuntimeHelpers"] = "runtime internals",
        ["System.Runtime.CompilerServices.ModuleInitializerAttribute"] = "code that runs outside the entry point",
        ["System.Runtime.CompilerServices.UnsafeAccessorAttribute"] = "reflection: private member access",
        ["System.TypedReference"] = "unsafe memory access",
        ["System.RuntimeTypeHandle"] = "reflection",
        ["System.RuntimeMethodHandle"] = "reflection",
        ["System.RuntimeFieldHandle"] = "reflection",
        ["System.ArgIterator"] = "unsafe memory access",
        ["System.Threading.ExecutionContext"] = "runtime internals",
        // TriggerFailure ends in Environment.FailFast.
        ["System.Runtime.CompilerServices.ContractHelper"] = "process exit",
        // The shared pools are process-wide: an array a program returns (and keeps) is rented next
        // by System.Text.Json to write later programs' results, and a rented array shows what an
        // earlier program left in it.
        ["System.Buffers.ArrayPool`1"] = "shared buffer pools outlive the program (allocate arrays instead)",
        ["System.Buffers.MemoryPool`1"] = "shared buffer pools outlive the program (allocate arrays instead)",
        // Named kernel objects outlive the program and are shared with every program on the worker.
        ["System.Threading.Mutex"] = "named system objects outlive the program (use a lock statement or SemaphoreSlim)",
        ["System.Threading.Semaphore"] = "named system objects outlive the program (use SemaphoreSlim)",
    };

    /// <summary>Members barred inside allowed types (type → member names), with the reason.</summary>
    public static readonly Dictionary<string, (HashSet<string> Members, string Reason)> BarredMembers = new()
    {
        ["System.Environment"] = (["Exit", "FailFast", "GetEnvironmentVariable", "GetEnvironmentVariables", "SetEnvironmentVariable",
            "ExpandEnvironmentVariables", "GetCommandLineArgs", "CommandLine", "CurrentDirectory", "GetFolderPath", "GetLogicalDrives",
            "MachineName", "UserName", "UserDomainName", "ProcessId", "ProcessPath", "SystemDirectory", "ExitCode"],
            "the process environment (variables, exit, paths)"),
        ["System.Console"] = (["OpenStandardInput", "OpenStandardOutput", "OpenStandardError", "SetIn", "SetOut", "SetError",
            "In", "Read", "ReadLine", "ReadKey", "KeyAvailable", "CancelKeyPress", "InputEncoding", "OutputEncoding",
            "Beep", "Clear", "Title", "SetCursorPosition", "GetCursorPosition", "CursorLeft", "CursorTop", "CursorVisible", "CursorSize",
            "ForegroundColor", "BackgroundColor", "ResetColor", "SetWindowPosition", "SetWindowSize", "SetBufferSize", "BufferWidth",
            "BufferHeight", "WindowWidth", "WindowHeight", "WindowLeft", "WindowTop", "MoveBufferArea", "TreatControlCAsInput",
            "IsInputRedirected", "IsOutputRedirected", "IsErrorRedirected"],
            "raw standard streams and console settings (use Console.Write/WriteLine)"),
        ["System.Type"] = (["GetType", "InvokeMember", "GetTypeFromHandle", "GetTypeFromProgID", "GetTypeFromCLSID", "TypeHandle",
            "MakeGenericType", "MakeArrayType", "MakePointerType", "MakeByRefType", "MakeGenericSignatureType", "MakeGenericMethodParameter"],
            "reflection"),
        ["System.Delegate"] = (["DynamicInvoke", "CreateDelegate", "Method"], "reflection"),
        ["System.MulticastDelegate"] = (["DynamicInvoke", "Method"], "reflection"),
        ["System.Threading.Thread"] = (["Name", "Interrupt", "Priority", "SetData", "GetData", "AllocateDataSlot", "AllocateNamedDataSlot",
            "GetNamedDataSlot", "FreeNamedDataSlot"],
            "thread state that outlives the program on the worker's reused threads (names hide threads from the leftover-work check; interrupts, priorities and data slots reach the next program)"),
        ["System.Threading.Monitor"] = (["Enter", "TryEnter"], "explicit locks can be left held for the next program (use a lock statement)"),
        ["System.Threading.ThreadPool"] = (["SetMaxThreads", "SetMinThreads", "RegisterWaitForSingleObject", "UnsafeRegisterWaitForSingleObject",
            "BindHandle", "UnsafeQueueNativeOverlapped"], "process-wide settings and registered callbacks that outlive the program"),
        // A wait handle's Handle setter adopts any handle number, the runtime's own among them (the
        // thread pool's semaphore, the finalizer's event); the shared handles of CancellationToken.None
        // and Task.CompletedTask could be disposed or set for every later program.
        ["System.Threading.WaitHandle"] = (["OpenExisting", "TryOpenExisting", "Handle", "SafeWaitHandle"],
            "named system objects (and the runtime's shared handles) outlive the program"),
        ["System.Threading.CancellationToken"] = (["WaitHandle"], "named system objects (and the runtime's shared handles) outlive the program"),
        ["System.IAsyncResult"] = (["AsyncWaitHandle"], "named system objects (and the runtime's shared handles) outlive the program"),
        // FromAsync over an IAsyncResult registers a wait of the thread pool's, which no probe can
        // count: its callback ran 20-40 s later, inside other programs.
        ["System.Threading.Tasks.TaskFactory"] = (["FromAsync"], "registered callbacks that outlive the program"),
        ["System.Threading.Tasks.TaskFactory`1"] = (["FromAsync"], "registered callbacks that outlive the program"),
        // Random.Shared keeps its state per thread, and every program runs on the same reused thread:
        // one program recovered the generator's state and chose the next program's numbers.
        ["System.Random"] = (["Shared"], "its state outlives the program on the worker's reused threads (use new Random(seed) or new Random())"),
        ["System.String"] = (["Intern", "IsInterned"], "the runtime's intern pool outlives the program"),
        ["System.Globalization.CultureInfo"] = (["DefaultThreadCurrentCulture", "DefaultThreadCurrentUICulture"], "process-wide settings that outlive the program"),
        ["System.Text.Encoding"] = (["RegisterProvider"], "process-wide registration: later programs would run this one's code"),
        ["System.Threading.Tasks.TaskScheduler"] = (["UnobservedTaskException"], "process-wide handlers that outlive the program"),
        ["System.Text.RegularExpressions.Regex"] = (["CacheSize"], "process-wide settings that outlive the program"),
    };

    /// <summary>
    /// Library types whose finalizer calls a virtual method a subclass can override (ThreadLocal's
    /// Dispose(bool)): a subclass runs its code on the finalizer thread, in a later program. Types
    /// whose metadata declares a finalizer are caught by the policy directly; these are named
    /// because reference assemblies may omit it.
    /// </summary>
    public static readonly HashSet<string> FinalizableBaseTypes = ["System.Threading.ThreadLocal`1"];

    /// <summary>
    /// Library bases and interfaces whose callbacks the library calls with buffers rented from the
    /// shared pools: Stream.CopyTo hands Write the pooled array itself (which an override can keep,
    /// and scribble on after it went back to the pool), TextWriter.Write(span) and the encoders do
    /// the same, and string interpolation hands ISpanFormattable.TryFormat a rented span that still
    /// holds what an earlier program formatted.
    /// </summary>
    public static readonly HashSet<string> PooledBufferCallbacks =
    [
        "System.IO.Stream", "System.IO.TextWriter", "System.IO.TextReader", "System.Text.Encoding", "System.Text.Encoder",
        "System.Text.Decoder", "System.Buffers.MemoryManager`1", "System.ISpanFormattable", "System.IUtf8SpanFormattable",
    ];

    /// <summary>Exceptions only the runtime may throw: the worker trusts them to mean the limit was hit.</summary>
    public static readonly HashSet<string> RuntimeOnlyExceptions = ["System.OutOfMemoryException", "System.InsufficientMemoryException"];

    /// <summary>Members allowed on otherwise barred types: harmless and common in algorithms.</summary>
    public static readonly HashSet<string> AllowedMembers = ["System.Reflection.MemberInfo.Name"];

    /// <summary>Names of types a candidate might build to stand in for the host's model.</summary>
    public static bool LooksLikeModelType(string name) =>
        name.EndsWith("LanguageModel", StringComparison.Ordinal) || name is "ChatClient" or "OpenAIClient" or "AnthropicClient";
}
