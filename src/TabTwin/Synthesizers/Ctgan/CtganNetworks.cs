using TabTwin.Encoding;
using TabTwin.Neural;

namespace TabTwin.Synthesizers.Ctgan;

/// <summary>The two networks of CTGAN, built as in the reference implementation.</summary>
internal static class CtganNetworks
{
    /// <summary>
    /// Residual blocks (Linear → BatchNorm → ReLU, output concatenated with the block's input) then a Linear to the
    /// transformed row width. Input: noise ⊕ conditional vector.
    /// </summary>
    public static Sequential Generator(int inputs, IReadOnlyList<int> blocks, int outputs, SeededRandom random)
    {
        var layers = new List<Layer>();
        int width = inputs;
        foreach (int size in blocks)
        {
            layers.Add(new Residual(width, size, random));
            width += size;
        }
        layers.Add(new Linear(width, outputs, random));
        return new Sequential(layers.ToArray()) { NeedsInputGradient = false };
    }

    /// <summary>
    /// The critic on pac-packed rows (pac × (row ⊕ condition) inputs): per hidden size Linear → LeakyReLU(0.2) →
    /// Dropout(0.5), then a Linear to one score.
    /// </summary>
    public static Sequential Critic(int packedInputs, IReadOnlyList<int> hidden, SeededRandom weights, ulong dropoutSeed)
    {
        var layers = new List<Layer>();
        int width = packedInputs;
        for (int l = 0; l < hidden.Count; l++)
        {
            layers.Add(new Linear(width, hidden[l], weights));
            layers.Add(new LeakyReLU(0.2f));
            layers.Add(new Dropout(0.5f, SeededRandom.For(dropoutSeed, (ulong)l)));
            width = hidden[l];
        }
        layers.Add(new Linear(width, 1, weights));
        return new Sequential(layers.ToArray());
    }
}
