using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ouroboros.Sandbox.Protocol;

namespace Ouroboros.Worker;

/// <summary>
/// Runs one program: loads its image into a collectible load context, calls the entry method once per
/// invocation on the calling thread (the worker's candidate thread), reports each call, unloads. The
/// host times every invocation (from the 'started' frame, then from each report) and kills this
/// process when a limit is crossed; nothing here waits with a timeout.
/// </summary>
internal sealed class ProgramExecution(FrameChannel channel, CapabilityClient capabilities, WorkerState state)
{
    private CapturedConsole console = new();
    private readonly ExecutionContext pristine = ExecutionContext.Capture() ?? throw new InvalidOperationException("execution context flow is suppressed at worker start");


    /// <summary>Runs the program; returns why this worker should be retired, or null.</summary>
    public Retirement? Run(JsonObject run, byte[] image)
    {
        var id = (long)run["id"]!;
        // Each program gets its own console writer (a lock a previous program left held on the old
        // one cannot block it) and the process settings the worker started with.
        console = new CapturedConsole();
        Console.SetOut(console);
        Console.SetError(console);
        state.Restore();
        capabilities.Open(id);
        var entry = run["entry"]!.AsObject();
        var invocations = run["invocations"]!.AsArray();
        var outputChars = (int?)run["outputBytes"] ?? 65536;
        var stopAtFirstFailure = (bool?)run["stopAtFirstFailure"] ?? false;

        var binder = new ArgumentBinder(capabilities, id, run["capabilities"] as JsonArray ?? [], Json);
        var before = LeftoverWorkProbe.Snapshot();
        var context = new AssemblyLoadContext($"candidate-{id}", isCollectible: true);
        MethodInfo? method = null;
        Retirement? retire = null;
        ProcessHazards.Reset();
        try
        {
            // The host's clocks start here, not when it sent the program: reading and parsing a frame
            // that carries every instance (megabytes for a hundred Max-Cut graphs) is not the first
            // invocation's time.
            channel.Write(new JsonObject { ["type"] = Frames.Started, ["id"] = id });
            for (int index = 0; index < invocations.Count; index++)
            {
                var outcome = Invoke(id, index, () =>
                {
                    method ??= FindEntry(context, image, (string)entry["type"]!, (string)entry["method"]!);
                    var result = method.Invoke(null, binder.Bind(method, invocations[index]!.AsArray()));
                    if (method.ReturnType == typeof(void)) return null;
                    var type = result?.GetType() ?? method.ReturnType;
                    return PrivateJson.Serialize(result, type, Json);
                }, outputChars);
                if (outcome.Fatal) { retire = new(outcome.Status, Event: null); break; } // the host kills it on that result
                if (stopAtFirstFailure && outcome.Status != "ok") break;
            }
        }
        finally
        {
            method = null;
            capabilities.Close();
            context.Unload();
        }
        // Hazards first: after a failed library initializer even the probe below may not run.
        retire ??= ProcessHazards.Take();
        retire ??= LeftoverWorkProbe.Find(before, TimeSpan.FromMilliseconds(100));
        retire ??= Retirement.Of(state.Changed());
        retire ??= Resolver.Pinned();
        return retire;
    }

    private (string Status, bool Fatal) Invoke(long id, int index, Func<JsonNode?> call, int outputChars)
    {
        int reported = 0;
        void Report(string status, JsonNode? result, string stdout, string? error, double ms)
        {
            if (Interlocked.Exchange(ref reported, 1) == 1) return;
            channel.Write(new JsonObject
            {
                ["type"] = Frames.Done, ["id"] = id, ["index"] = index, ["status"] = status,
                ["result"] = result, ["stdout"] = stdout, ["error"] = error, ["runMs"] = ms,
            });
        }

        var clock = Stopwatch.StartNew();
        // Crossing the output cap ends the invocation at once, from the printing thread: the candidate
        // may be printing in an endless loop. The host retires this worker when it reads the frame.
        console.OnOverflow = () => Report("output_limit", null, console.End().Text, "output exceeded the cap", clock.Elapsed.TotalMilliseconds);
        console.Begin(outputChars);

        string status = "ok"; JsonNode? value = null; string? error = null;
        // What the previous program left on this thread does not carry over.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        // Every call runs in the context the worker started with, and whatever the call leaves in
        // the thread's context (async-locals and their change handlers, suppressed flow, a
        // synchronization context) ends with it: the next program runs on this same thread.
        try { ExecutionContext.Run(pristine.CreateCopy(), _ => value = call(), null); }
        catch (Exception e) { (status, error) = Describe(e); }
        // Thread settings the call may have changed on this reused thread do not reach the next call.
        var self = Thread.CurrentThread;
        if (self.Priority != ThreadPriority.Normal) self.Priority = ThreadPriority.Normal;
        if (self.IsBackground) self.IsBackground = false;
        console.OnOverflow = null;
        var (stdout, overflowed) = console.End();
        if (overflowed) return ("output_limit", true);

        var resultChars = value?.ToJsonString().Length ?? 0;
        if (status == "ok" && resultChars > outputChars)
        {
            (status, error, value) = ("output_limit", $"the result is {resultChars} characters of JSON; the cap is {outputChars}", null);
        }
        Report(status, value, stdout, error, clock.Elapsed.TotalMilliseconds);
        return (status, status == "memory_limit");
    }

    private static readonly WatchfulJsonResolver Resolver = new();

    /// <summary>One options instance (building metadata costs about a millisecond per type), watched for the candidate's own types.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        IncludeFields = true, MaxDepth = 64, TypeInfoResolver = Resolver,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private const int MaxErrorChars = 2000;

    /// <remarks>
    /// An <see cref="OutOfMemoryException"/> is a memory-limit hit, whatever its size or whether a
    /// collection ran: the policy bars a program from making one (or a subclass), so it comes from
    /// the runtime or the library refusing an allocation, such as one string larger than the whole
    /// limit. (With the policy off a program can fake one; it can fake any result then.)
    /// </remarks>
    private static (string Status, string Error) Describe(Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } inner }) e = inner;
        return e switch
        {
            OutOfMemoryException => ("memory_limit", $"the candidate ran out of memory ({SafeMessage(e)})"),
            InsufficientExecutionStackException => ("error", "InsufficientExecutionStackException: recursion too deep"),
            _ => ("error", $"{e.GetType().Name}: {SafeMessage(e)}"),
        };
    }

    /// <summary>An exception's message is candidate code: it may throw, or be megabytes long.</summary>
    private static string SafeMessage(Exception e)
    {
        string message;
        try { message = e.Message ?? ""; }
        catch (Exception) { return "(its Message threw)"; }
        return message.Length <= MaxErrorChars ? message : message[..MaxErrorChars] + $"… ({message.Length} characters)";
    }

    private static MethodInfo FindEntry(AssemblyLoadContext context, byte[] image, string typeName, string methodName)
    {
        using var stream = new MemoryStream(image);
        var assembly = context.LoadFromStream(stream);
        var type = assembly.GetType(typeName)
            ?? assembly.GetTypes().FirstOrDefault(t => t.Name == typeName)
            ?? throw new MissingMemberException($"no type '{typeName}' in the program; declare 'public static class {typeName}'");
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == methodName).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new MissingMethodException($"no 'public static' method '{methodName}' in type '{typeName}'"),
            _ => throw new AmbiguousMatchException($"'{typeName}.{methodName}' is overloaded; keep one method of that name"),
        };
    }
}
