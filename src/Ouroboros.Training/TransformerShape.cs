namespace Ouroboros.Training;

/// <summary>
/// The size of a small decoder-only transformer. The default (2 layers, width 64, 4 heads, 96
/// positions) has about 0.13 M parameters and trains at tens of steps per second on one CPU core.
/// </summary>
public sealed record TransformerShape(int Layers = 2, int Width = 64, int Heads = 4, int Context = 96, double Dropout = 0.0)
{
    public void Validate()
    {
        if (Layers < 1) throw new ArgumentException("a transformer needs at least one layer");
        if (Width < 1 || Heads < 1 || Width % Heads != 0) throw new ArgumentException($"width {Width} must be a positive multiple of heads {Heads}");
        if (Context < 2) throw new ArgumentException("context must hold at least two tokens");
        if (Dropout is < 0 or >= 1) throw new ArgumentException("dropout must be in [0, 1)");
    }
}
