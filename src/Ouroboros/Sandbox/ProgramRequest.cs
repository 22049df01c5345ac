using System.Text.Json.Nodes;

namespace Ouroboros.Sandbox;

/// <summary>
/// One program and the invocations to run with it in one round trip: compile once, load once,
/// then call the entry method once per argument list, each under <see cref="Limits"/>.
/// </summary>
public sealed record ProgramRequest(string Source, EntryPoint Entry, IReadOnlyList<JsonArray> Invocations)
{
    public SandboxLimits Limits { get; init; } = SandboxLimits.Default;

    /// <summary>Host services the program may call; referred to from arguments as <c>{"$capability": name}</c>.</summary>
    public IReadOnlyList<ICapability> Capabilities { get; init; } = [];

    /// <summary>The static policy check; off only to test the OS layer on its own.</summary>
    public bool ApplyPolicy { get; init; } = true;

    /// <summary>Stop after the first invocation that does not end <c>ok</c> (an improver run needs no second try).</summary>
    public bool StopAtFirstFailure { get; init; }

    /// <summary>
    /// Told as each invocation's result arrives, for progress only (a long evaluation's instances done);
    /// nothing the sandbox decides depends on it, and a failure in it is ignored.
    /// </summary>
    public Action? InvocationReported { get; init; }
}

/// <summary>A public static method of a public class, e.g. <c>Solution.Algorithm</c>.</summary>
public sealed record EntryPoint(string TypeName, string MethodName)
{
    public static EntryPoint Parse(string text)
    {
        var dot = text.LastIndexOf('.');
        if (dot <= 0 || dot == text.Length - 1)
            throw new ArgumentException($"Entry '{text}' is not of the form Type.Method (e.g. Program.Run).");
        return new EntryPoint(text[..dot], text[(dot + 1)..]);
    }

    public override string ToString() => $"{TypeName}.{MethodName}";
}
