using TabTwin.Bundles;

namespace TabTwin.Neural;

/// <summary>
/// Saves and restores a network's tensors (trainable parameters and running statistics) as flat float32 arrays in a
/// model bundle, one array per tensor named "{prefix}.{path}". Reading checks every array's length and finiteness.
/// </summary>
internal static class NetworkState
{
    public static void Write(ModelBundleWriter bundle, string prefix, Layer network)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(network);
        foreach (var (path, p) in network.NamedParameters())
            bundle.WriteArray($"{prefix}.{path}", p.Value.AsSpan());
    }

    /// <summary>
    /// Refuses layer sizes (input, hidden..., output) whose weight matrices alone need more values than the bundle's
    /// arrays under <paramref name="prefix"/> declare: checked before the network is built, so a model file cannot make
    /// TabTwin allocate a network larger than the data the file actually carries.
    /// </summary>
    public static void CheckDeclaredSize(ModelBundleReader bundle, string prefix, IReadOnlyList<int> layerSizes)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(layerSizes);
        long declared = bundle.DeclaredValues(prefix + "."), needed = 0;
        for (int i = 1; i < layerSizes.Count; i++)
        {
            needed += (long)Math.Max(layerSizes[i - 1], 0) * Math.Max(layerSizes[i], 0);
            if (needed > declared)
                throw new ModelFileException("model.bad-entry",
                    $"The network '{prefix}' has layer sizes needing more than the {declared:N0} values its arrays declare.", bundle.File,
                    "Use an undamaged copy of the model file, or fit the model again.");
        }
    }

    /// <summary>Fills <paramref name="network"/> (built with the same architecture) from the bundle.</summary>
    public static void Read(ModelBundleReader bundle, string prefix, Layer network)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(network);
        foreach (var (path, p) in network.NamedParameters())
        {
            string name = $"{prefix}.{path}";
            var values = bundle.ReadFloats(name, p.Length);
            if (values.Length != p.Length)
                throw new ModelFileException("model.bad-entry", $"Model array '{name}' has {values.Length} values; the network needs {p.Length}.", bundle.File);
            foreach (var v in values)
                if (!float.IsFinite(v)) throw new ModelFileException("model.bad-entry", $"Model array '{name}' holds a non-finite value.", bundle.File);
            values.CopyTo(p.Value.AsSpan());
            p.MarkChanged();
        }
    }
}
