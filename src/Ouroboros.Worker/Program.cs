using System.Runtime;
using System.Text.Json.Nodes;
using Ouroboros.Sandbox.Protocol;
using Ouroboros.Worker;

// The sandbox worker: a long-lived process that runs one candidate program at a time for the host.
// Everything a candidate can reach in here is assumed hostile; the host trusts no frame it reads.
var (input, output) = StandardStreams.TakeProtocolStreams();
Console.SetIn(TextReader.Null);
var state = WorkerState.Capture();

var channel = new FrameChannel(input, output, Frames.MaxFrameBytes);
var capabilities = new CapabilityClient(channel);
var execution = new ProgramExecution(channel, capabilities, state);
var runs = new System.Collections.Concurrent.BlockingCollection<(JsonObject Frame, byte[] Image)>();

// Frames are read on a dedicated thread so that replies to capability calls reach a candidate
// that is blocked waiting for them, and so the thread pool stays the candidate's alone.
var reader = new Thread(() =>
{
    try
    {
        while (ReadOne()) { }
    }
    catch (Exception e)
    {
        // The host spoke nonsense or went away mid-frame: stop, and say why where the host reads it.
        StandardStreams.WriteToHost($"ouro-worker: stopped reading frames: {e.GetType().Name}: {e.Message}");
    }
    runs.CompleteAdding();
}) { IsBackground = true, Name = "ouro-reader" };
reader.Start();

channel.Write(new JsonObject { ["type"] = Frames.Ready, ["pid"] = Environment.ProcessId });

// Programs run on one thread with a large stack, started once and reused for every program:
// starting a thread per call cost about 0.3 ms, and handing each call to a thread of its own and
// back costs two wake-ups. A call that never returns is no problem here: the host kills the worker.
var candidates = new Thread(RunPrograms, maxStackSize: 16 * 1024 * 1024) { Name = "ouro-candidate" };
candidates.Start();
candidates.Join();
return 0;

void RunPrograms()
{
    int programs = 0;
    var heap = HeapGuard.Capture();
    var code = new CodeGuard();
    while (RunNext(heap, code) is var (id, ran))
    {
        // The program's frame (every instance, parsed) is the worker's, not the program's: it went
        // out of reach with RunNext's frame, before the heap is judged.
        var retire = ran ?? heap.Outlived() ?? code.Grown();
        // Unloaded contexts linger until a collection: collect every 25 programs (a few ms in a
        // worker this small) so memory stays flat between recycles.
        if (retire is null && ++programs % 25 == 0 && !Collector.Collect(TimeSpan.FromSeconds(2)))
            retire = new("a finalizer did not return within 2 s");
        channel.Write(new JsonObject
        {
            ["type"] = Frames.Finished, ["id"] = id, ["recycle"] = retire is not null, ["reason"] = retire?.Reason,
            ["event"] = retire?.Event,
        });
    }
}

// Reads and hands on one frame; false at the end. A method of its own so that the last frame read
// is not kept alive by this thread, in a Debug build, while it waits for the next.
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
bool ReadOne()
{
    if (channel.Read(out var attachment) is not { } frame) return false;
    switch ((string?)frame["type"])
    {
        case Frames.Run: runs.Add((frame, attachment)); break;
        case Frames.Reply: capabilities.Complete(frame); break;
    }
    return true;
}

// Runs the next program; its frame lives only in this method's frame (a Debug build keeps a
// method's locals alive to its end, and the loop above never ends).
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
(JsonNode Id, Retirement? Retire)? RunNext(HeapGuard heap, CodeGuard code)
{
    if (NextRun() is not { } next) return null;
    heap.BeforeProgram();
    code.BeforeProgram();
    var id = next.Frame["id"]!.DeepClone();
    // An interrupt a program leaves on this thread fires at the worker's next wait (the
    // leftover-work probe's sleep, a contended write): it ends this program's turn, retires the
    // worker and is the program's event, instead of killing the worker with nothing said.
    try { return (id, execution.Run(next.Frame, next.Image)); }
    catch (ThreadInterruptedException) { return (id, new("the program left an interrupt pending on the worker's thread")); }
}

// A program may interrupt its own thread (this one) and return; the interrupt then fires in the
// next wait, which is normally this one, between programs, since the host sends the next program
// only after this one's 'finished'. Taken here it harms nobody. (Consuming it after every call
// instead, with a zero sleep or wait, cost a tenth of a millisecond per call.)
(JsonObject Frame, byte[] Image)? NextRun()
{
    while (true)
    {
        try { return runs.TryTake(out var next, Timeout.Infinite) ? next : null; }
        catch (ThreadInterruptedException) { }
    }
}

