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
        "System.Diagnostics.Stopwatch", "System.Diagnostics.Debug", "System.Diagnostics.ConditionalAttribute",
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
    };

    /// <summary>Members barred inside allowed types (type → member names), with the reason.</summary>
    public static readonly Dictionary<string, (HashSet<string> Members, string Reason)> BarredMembers = new()
    {
        ["System.Environment"] = (["Exit", "FailFast", "GetEnvironmentVariable", "GetEnvironmentVariables", "SetEnvironmentVariable",
            "ExpandEnvironmentVariables", "GetCommandLineArgs", "CommandLine", "CurrentDirectory", "GetFolderPath", "GetLogicalDrives",
            "MachineName", "UserName", "UserDomainName", "ProcessId", "ProcessPath", "SystemDirectory", "ExitCode"],
            "the process environment (variables, exit, paths)"),
        ["System.Console"] = (["OpenStandardInput", "OpenStandardOutput", "OpenStandardError", "SetIn", "SetOut", "SetError",
            "In", "Read", "ReadLine", "ReadKey", "KeyAvailable", "CancelKeyPress", "InputEncoding", "OutputEncoding"],
            "raw standard streams and console settings (use Console.Write/WriteLine)"),
        ["System.Type"] = (["GetType", "InvokeMember", "GetTypeFromHandle", "GetTypeFromProgID", "GetTypeFromCLSID", "TypeHandle"],
            "reflection"),
        ["System.Delegate"] = (["DynamicInvoke", "CreateDelegate", "Method"], "reflection"),
        ["System.MulticastDelegate"] = (["DynamicInvoke", "Method"], "reflection"),
        ["System.Threading.Thread"] = (["Name"], "renaming threads hides them from the leftover-work check"),
        ["System.Threading.Monitor"] = (["Enter", "TryEnter"], "explicit locks can be left held for the next program (use a lock statement)"),
        ["System.Threading.ThreadPool"] = (["SetMaxThreads", "SetMinThreads"], "process-wide settings that outlive the program"),
        ["System.Globalization.CultureInfo"] = (["DefaultThreadCurrentCulture", "DefaultThreadCurrentUICulture"], "process-wide settings that outlive the program"),
        ["System.Text.Encoding"] = (["RegisterProvider"], "process-wide registration: later programs would run this one's code"),
        ["System.Threading.Tasks.TaskScheduler"] = (["UnobservedTaskException"], "process-wide handlers that outlive the program"),
        ["System.Text.RegularExpressions.Regex"] = (["CacheSize"], "process-wide settings that outlive the program"),
    };

    /// <summary>Members allowed on otherwise barred types: harmless and common in algorithms.</summary>
    public static readonly HashSet<string> AllowedMembers = ["System.Reflection.MemberInfo.Name"];

    /// <summary>Names of types a candidate might build to stand in for the host's model.</summary>
    public static bool LooksLikeModelType(string name) =>
        name.EndsWith("LanguageModel", StringComparison.Ordinal) || name is "ChatClient" or "OpenAIClient" or "AnthropicClient";
}
