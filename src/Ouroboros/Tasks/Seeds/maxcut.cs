using System.Collections.Generic;

public static class Solution
{
    // STOP's seed: greedy, one vertex at a time; at each step place the unplaced vertex whose
    // placement on side 0 or 1 cuts the most weight to vertices already placed.
    public static int[] Algorithm(int[][] adjacencyMatrix)
    {
        int n = adjacencyMatrix.Length;
        var partition = new int[n];
        for (int i = 0; i < n; i++) partition[i] = -1;
        var unplaced = new HashSet<int>();
        for (int i = 0; i < n; i++) unplaced.Add(i);

        while (unplaced.Count > 0)
        {
            int bestWeight = -1, bestNode = -1, bestSide = -1;
            foreach (int node in unplaced)
            {
                for (int side = 0; side <= 1; side++)
                {
                    int cut = 0;
                    for (int neighbour = 0; neighbour < n; neighbour++)
                        if (partition[neighbour] == 1 - side) cut += adjacencyMatrix[node][neighbour];
                    if (cut > bestWeight)
                    {
                        bestWeight = cut;
                        bestNode = node;
                        bestSide = side;
                    }
                }
            }
            partition[bestNode] = bestSide;
            unplaced.Remove(bestNode);
        }
        return partition;
    }
}
