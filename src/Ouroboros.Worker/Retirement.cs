namespace Ouroboros.Worker;

/// <summary>
/// Why a worker must not serve another program, and the safety event it is for the program that
/// just ran: <c>leftover_work</c> unless said otherwise, none when the program did nothing wrong
/// (its own types went through the worker's JSON caches, say) and the worker is retired only to
/// keep the next program clean.
/// </summary>
internal sealed record Retirement(string Reason, string? Event = "leftover_work")
{
    public static Retirement? Of(string? reason) => reason is null ? null : new(reason);
}
