namespace Ouroboros.Bench;

/// <summary>
/// The share of this machine's CPU time its hypervisor gave to other guests (the "steal" column of
/// /proc/stat) over an interval. On a shared virtual machine it can double a latency measured in
/// microseconds, so a benchmark says how much there was while it measured.
/// </summary>
internal sealed class CpuSteal
{
    private readonly (long Steal, long Total)? _start = Read();

    /// <summary>Percent of CPU time stolen since this was created, or null where /proc/stat cannot tell.</summary>
    public double? PercentSinceStart()
    {
        if (_start is not { } start || Read() is not { } now || now.Total <= start.Total) return null;
        return 100.0 * (now.Steal - start.Steal) / (now.Total - start.Total);
    }

    private static (long Steal, long Total)? Read()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice]: guests are already in user.
            var fields = cpu.Skip(1).Take(8).Select(long.Parse).ToArray();
            return fields.Length < 8 ? null : (fields[7], fields.Sum());
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or UnauthorizedAccessException) { return null; }
    }
}
