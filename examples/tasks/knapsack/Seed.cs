public static class Solution
{
    // The seed: take items in the order given while they fit.
    public static int[] Algorithm(int[] weights, int[] values, int capacity)
    {
        var take = new int[weights.Length];
        int load = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (load + weights[i] <= capacity)
            {
                take[i] = 1;
                load += weights[i];
            }
        }
        return take;
    }
}
