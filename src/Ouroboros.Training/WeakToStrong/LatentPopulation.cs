namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Setting (a)'s data for one seed (digest §3.6): a latent z ~ N(0, I_d) per example, the truth
/// y = 1[w*·z &gt; 0] for a random direction w*, and private Gaussian noise for every model size. A
/// model of size s sees z + σ_s·η_s (σ from <see cref="W2sOptions.NoiseOf"/>: 1 for the weak
/// supervisor, 0 for the strongest); a student also sees the supervisor's own noise ε = η_weak at the
/// scale its view gives (<see cref="LatentViews"/>). The truth depends on z alone, so every error the
/// supervisor makes comes from ε.
/// </summary>
public sealed class LatentPopulation
{
    private readonly W2sOptions _options;
    private readonly int _dimension;
    private readonly float[] _z;
    private readonly Dictionary<int, float[]> _noise;
    private readonly int[] _truth;

    public LatentPopulation(W2sOptions options, int seedIndex)
    {
        _options = options;
        _dimension = options.LatentDimension;
        Count = new[] { options.A, options.B, options.Test }.Max(r => r.End);
        var random = new Random(SeedOf(options.Seed, seedIndex));
        var direction = Gaussians(random, _dimension);
        _z = Gaussians(random, Count * _dimension);
        _noise = options.Sizes.ToDictionary(s => s, _ => Gaussians(random, Count * _dimension));
        _truth = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            double dot = 0;
            for (var k = 0; k < _dimension; k++) dot += direction[k] * _z[i * _dimension + k];
            _truth[i] = dot > 0 ? 1 : 0;
        }
    }

    /// <summary>Examples drawn: enough for the furthest split.</summary>
    public int Count { get; }

    /// <summary>A seed per (run seed, seed index), stable across processes (unlike <see cref="HashCode"/>).</summary>
    public static int SeedOf(ulong runSeed, int seedIndex) => unchecked((int)(runSeed * 1_000_003UL + (ulong)seedIndex * 7919UL + 17UL));

    /// <summary>The weak supervisor's view: z + ε, whatever the students' view.</summary>
    public Inputs SupervisorView(Split split) => Build(split, _options.Sizes[0], null);

    /// <summary>The protocol's data for one student view.</summary>
    public ICellData For(string view) => new Cell(this, view);

    private sealed class Cell(LatentPopulation population, string view) : ICellData
    {
        public string Setting => W2sOptions.Latent;
        public string View => view;
        public Inputs ViewOf(Split split, int size) => population.View(split, size, view);
        public GroundTruthSet GroundTruth(Inputs inputs) => population.GroundTruth(inputs);
        public TestSet Test(Inputs inputs) => population.Test(inputs);
        public bool Adam => false;
        public Func<int, Classifier>? Start(int size) => null;
    }

    /// <summary>A model of size <paramref name="size"/>'s view under <paramref name="view"/> (the smallest size is the supervisor's view).</summary>
    public Inputs View(Split split, int size, string view) =>
        size == _options.Sizes[0] ? SupervisorView(split) : Build(split, size, LatentViews.SupervisorNoiseScale(view));

    public GroundTruthSet GroundTruth(Inputs inputs) => new(inputs, inputs.Ids.Select(i => _truth[i]).ToArray());

    public TestSet Test(Inputs inputs) => new(inputs, inputs.Ids.Select(i => _truth[i]).ToArray());

    private Inputs Build(Split split, int size, double? supervisorNoise)
    {
        var range = split switch { Split.A => _options.A, Split.B => _options.B, _ => _options.Test };
        var sigma = (float)_options.NoiseOf(size);
        var own = _noise[size];
        var weak = _noise[_options.Sizes[0]];
        var width = supervisorNoise is null ? _dimension : 2 * _dimension;
        var features = new float[range.Count * width];
        for (var r = 0; r < range.Count; r++)
        {
            var i = range.Start + r;
            for (var k = 0; k < _dimension; k++)
            {
                features[r * width + k] = _z[i * _dimension + k] + sigma * own[i * _dimension + k];
                if (supervisorNoise is { } scale) features[r * width + _dimension + k] = (float)scale * weak[i * _dimension + k];
            }
        }
        return new Inputs(split, Enumerable.Range(range.Start, range.Count).ToArray(), features, width);
    }

    /// <summary>Standard normal draws (Box–Muller) from <paramref name="random"/>.</summary>
    private static float[] Gaussians(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i += 2)
        {
            var u = 1.0 - random.NextDouble();
            var v = random.NextDouble();
            var radius = Math.Sqrt(-2 * Math.Log(u));
            values[i] = (float)(radius * Math.Cos(2 * Math.PI * v));
            if (i + 1 < count) values[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * v));
        }
        return values;
    }
}
