using TabTwin.Neural;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Ctgan;

/// <summary>The two networks of CTGAN, built as in the reference implementation.</summary>
internal static class CtganNetworks
{
    /// <summary>
    /// Residual blocks (Linear → BatchNorm → ReLU, output concatenated with the block's input) then a Linear to the
    /// transformed row width. Input: noise ⊕ conditional vector (its last <paramref name="conditionWidth"/> columns).
    /// <para>
    /// Every block passes the network's input through at the end of its output, so each layer's last columns are
    /// the one-hot condition (sparse: one nonzero per conditioned column) and the columns before it the noise. The
    /// gradient with respect to those passed-through inputs is never used, so each layer computes its input gradient
    /// only for the hidden columns in front of them.
    /// </para>
    /// </summary>
    public static Sequential Generator(int inputs, IReadOnlyList<int> blocks, int outputs, SeededRandom random, int conditionWidth = 0)
    {
        var layers = new List<Layer>();
        int width = inputs;
        IndexRanges Condition(int w) => new([(w - conditionWidth, w)]);
        foreach (int size in blocks)
        {
            layers.Add(new Residual(width, size, random) { SparseInputColumns = Condition(width), InputGradientColumns = width - inputs });
            width += size;
        }
        layers.Add(new Linear(width, outputs, random) { SparseInputColumns = Condition(width), InputGradientColumns = new IndexRanges([(0, width - inputs)]) });
        return new Sequential(layers.ToArray()) { NeedsInputGradient = false };
    }

    /// <summary>
    /// The critic on pac-packed rows (pac × (row ⊕ condition) inputs): per hidden size Linear → LeakyReLU(0.2) →
    /// Dropout(0.5), then a Linear to one score. Each of the <paramref name="pac"/> packed rows ends in its one-hot
    /// condition (<paramref name="conditionWidth"/> columns), which the first layer treats as sparse inputs; its input
    /// gradient is computed for the data columns only (the generator's loss reads nothing else; the gradient penalty
    /// takes the full gradient through <see cref="Linear.BackwardInput"/>).
    /// </summary>
    public static Sequential Critic(int packedInputs, IReadOnlyList<int> hidden, SeededRandom weights, ulong dropoutSeed, int pac = 1, int conditionWidth = 0)
    {
        var layers = new List<Layer>();
        int width = packedInputs, rowWidth = packedInputs / pac;
        for (int l = 0; l < hidden.Count; l++)
        {
            var linear = new Linear(width, hidden[l], weights);
            if (l == 0 && conditionWidth > 0)
            {
                linear.SparseInputColumns = IndexRanges.Repeat(rowWidth - conditionWidth, rowWidth, pac, rowWidth);
                linear.InputGradientColumns = IndexRanges.Repeat(0, rowWidth - conditionWidth, pac, rowWidth);
            }
            layers.Add(linear);
            layers.Add(new LeakyReLU(0.2f));
            layers.Add(new Dropout(0.5f, SeededRandom.For(dropoutSeed, (ulong)l)));
            width = hidden[l];
        }
        layers.Add(new Linear(width, 1, weights));
        return new Sequential(layers.ToArray());
    }
}
