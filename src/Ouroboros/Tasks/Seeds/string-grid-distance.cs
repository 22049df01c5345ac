public static class Solution
{
    // STOP's seed: return the input unchanged.
    public static string Algorithm(string t, int dist)
    {
        return t;
    }
}
