using System.Globalization;
using Ouroboros.Statistics;

namespace Ouroboros.Runs;

/// <summary>How report cells read, shared by the Markdown report and the terminal tables so both say the same thing.</summary>
public static class ReportFormat
{
    /// <summary>"0.523 [0.481, 0.565] n=5", "0.700 n=1", or a dash when nothing was measured.</summary>
    public static string Mean(MeanInterval? m) => m is null ? "–" : m.ToString();

    /// <summary>"42/10000", the count behind a rate.</summary>
    public static string Count(WilsonInterval w) => $"{w.Count}/{w.N}";

    /// <summary>"0.42%", or "undefined" with no samples.</summary>
    public static string Rate(WilsonInterval w) => w.Rate is { } r ? Percent(r) : "undefined";

    /// <summary>"0.31%–0.57%", or a dash with no samples.</summary>
    public static string Wilson(WilsonInterval w) => w.Low is { } low && w.High is { } high ? $"{Percent(low)}–{Percent(high)}" : "–";

    public static string Number(double? x) => x is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    public static string Money(double usd) => usd.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>The first 12 hex digits: enough to tell improvers apart and to pass back as a reference.</summary>
    public static string Hash(string hash) => hash.Length > 12 ? hash[..12] : hash;

    public static string YesNo(bool b) => b ? "yes" : "no";

    private static string Percent(double x) => (x * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
