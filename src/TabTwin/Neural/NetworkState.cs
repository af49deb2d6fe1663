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

    /// <summary>Fills <paramref name="network"/> (built with the same architecture) from the bundle.</summary>
    public static void Read(ModelBundleReader bundle, string prefix, Layer network)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(network);
        foreach (var (path, p) in network.NamedParameters())
        {
            string name = $"{prefix}.{path}";
            var values = bundle.ReadFloats(name);
            if (values.Length != p.Length)
                throw new ModelFileException("model.bad-entry", $"Model array '{name}' has {values.Length} values; the network needs {p.Length}.", bundle.File);
            foreach (var v in values)
                if (!float.IsFinite(v)) throw new ModelFileException("model.bad-entry", $"Model array '{name}' holds a non-finite value.", bundle.File);
            values.CopyTo(p.Value.AsSpan());
            p.MarkChanged();
        }
    }
}
