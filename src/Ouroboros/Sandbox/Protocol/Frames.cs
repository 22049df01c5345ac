namespace Ouroboros.Sandbox.Protocol;

/// <summary>
/// The frame types of the host–worker protocol. Host to worker: <c>run</c> (the program's image as
/// its attachment), <c>reply</c>. Worker to host: <c>ready</c>, <c>started</c> (the program's frame
/// is read and parsed, and its first invocation begins: the host starts that one's clocks),
/// <c>call</c> (a capability call), <c>done</c> (an invocation ended; the worker goes straight on to
/// the next, so the host starts that one's clocks), <c>finished</c> (the program is unloaded; <c>recycle</c> asks the host to
/// retire this worker).
/// </summary>
internal static class Frames
{
    public const string Ready = "ready";
    public const string Run = "run";
    public const string Started = "started";
    public const string Call = "call";
    public const string Reply = "reply";
    public const string Done = "done";
    public const string Finished = "finished";

    /// <summary>Largest frame either side accepts; an image plus its arguments fits well inside.</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;
}
