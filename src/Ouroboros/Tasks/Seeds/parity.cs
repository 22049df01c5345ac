using System;
using System.Linq;

public static class Solution
{
    // STOP's seed: guess every label at random. Seeded so the seed's utility is reproducible.
    public static int[] Algorithm(int[][] trainSamples, int[] trainParity, int[][] testSamples)
    {
        var random = new Random(0);
        return testSamples.Select(_ => random.Next(2)).ToArray();
    }
}
