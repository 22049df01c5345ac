using System.Security.Cryptography;
using System.Text.Json;

namespace Ouroboros.Training;

/// <summary>
/// A model's weights as bytes, named by their content: the SHA-256 of its shape and its serialized
/// parameters. Equal training (same seed, data and thread count) gives the same hash, so a resumed or
/// replayed run can tell it has the model it had.
/// </summary>
public sealed record Checkpoint(string Hash, TransformerShape Shape, byte[] Weights)
{
    public static Checkpoint Of(TinyTransformer model)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) model.save(writer);
        var weights = buffer.ToArray();
        return new Checkpoint(HashOf(model.Shape, weights), model.Shape, weights);
    }

    public TinyTransformer Load()
    {
        var model = new TinyTransformer(Shape);
        using var reader = new BinaryReader(new MemoryStream(Weights));
        model.load(reader);
        model.eval();
        return model;
    }

    /// <summary>A fresh model with the same weights (the frozen DPO reference).</summary>
    public static TinyTransformer Copy(TinyTransformer model) => Of(model).Load();

    public static string HashOf(TransformerShape shape, byte[] weights)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(shape));
        hash.AppendData(weights);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
