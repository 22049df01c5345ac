namespace Ouroboros.Statistics;

/// <summary>
/// The 97.5% quantile of Student's t, the multiplier of a two-sided 95% interval on a mean. Shared by
/// every interval in Ouroboros so a utility and a meta-utility are read against the same yardstick.
/// </summary>
public static class StudentT
{
    // Printed t-table values (two-sided 95%) for df 1..30, where the normal approximation is poor:
    // at df = 4 (five meta-utility runs) t is 2.776, not 1.96.
    private static readonly double[] Table =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>The two-sided normal 95% quantile, the limit of t as df grows.</summary>
    public const double Z975 = 1.959964;

    /// <summary>
    /// t(0.975, df): the table for df ≤ 30; beyond it the Cornish–Fisher expansion around the normal
    /// quantile (error below 1e-4), rather than 1.96 itself, which would be 4% too narrow at df = 31.
    /// </summary>
    public static double Quantile975(int df)
    {
        if (df < 1) throw new ArgumentOutOfRangeException(nameof(df), df, "Student's t needs at least one degree of freedom.");
        if (df <= Table.Length) return Table[df - 1];
        const double z = Z975;
        double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
        return z + (z3 + z) / (4.0 * df)
                 + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df)
                 + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * df * df * df);
    }
}
