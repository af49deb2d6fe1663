using TabTwin.Neural;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Tvae;

/// <summary>
/// TVAE's two networks. Encoder: (Linear + ReLU) per compress dim, then one Linear to 2·embedding outputs
/// (μ in the first half, log σ² in the second: SDV's fc1 and fc2 side by side). Decoder: (Linear + ReLU) per
/// decompress dim, then Linear to the data width. Each layer is initialised from its own stream of the seed.
/// </summary>
internal static class TvaeNetworks
{
    public static Sequential Encoder(TvaeOptions o, int width, ulong seed)
    {
        var layers = new List<Layer>();
        int d = width, k = 0;
        foreach (int h in o.CompressDims)
        {
            layers.Add(new Linear(d, h, SeededRandom.For(seed, (ulong)k++)));
            layers.Add(new ReLU());
            d = h;
        }
        layers.Add(new Linear(d, 2 * o.EmbeddingDim, SeededRandom.For(seed, (ulong)k)));
        return new Sequential(layers.ToArray());
    }

    public static Sequential Decoder(TvaeOptions o, int width, ulong seed)
    {
        var layers = new List<Layer>();
        int d = o.EmbeddingDim, k = 0;
        foreach (int h in o.DecompressDims)
        {
            layers.Add(new Linear(d, h, SeededRandom.For(seed, (ulong)k++)));
            layers.Add(new ReLU());
            d = h;
        }
        layers.Add(new Linear(d, width, SeededRandom.For(seed, (ulong)k)));
        return new Sequential(layers.ToArray());
    }
}
