// Learning parity with noise. A sketch of how Solution.Algorithm is scored (the real utility uses
// more instances, fixed secret seeds and a held-out test set; the scoring rule is the same).
public static double Utility(string solutionSource)
{
    var algorithm = CompileSolution(solutionSource); // Solution.Algorithm; a compile error scores 0
    int nTests = 3;
    double averageCorrect = 0;
    for (int test = 0; test < nTests; test++)
    {
        int nBits = 10, nTrainSamples = 100, nTestSamples = 20;
        double pTrue = 0.3, noiseLevel = 0.05;
        bool[] trueBits = Bernoulli(pTrue, nBits);                    // the hidden subset
        int[][] samples = UniformBits(nTrainSamples + nTestSamples, nBits);
        int[] parity = samples.Select(s => Enumerable.Range(0, nBits).Count(b => trueBits[b] && s[b] == 1) % 2).ToArray();
        int[][] trainSamples = samples[..nTrainSamples], testSamples = samples[nTrainSamples..];
        int[] trainParity = FlipEach(parity[..nTrainSamples], noiseLevel); // noise on training labels only
        int[] testParity = parity[nTrainSamples..];

        // Must return exactly nTestSamples labels, each 0 or 1, within 2 seconds; anything else
        // (null, an exception, a timeout, a wrong length or value) scores 0 for this test.
        int[] predictions = algorithm(trainSamples, trainParity, testSamples);
        averageCorrect += predictions.Where((p, i) => p == testParity[i]).Count() / (double)nTestSamples / nTests;
    }
    return averageCorrect; // in [0, 1]; guessing at random scores about 0.5
}
