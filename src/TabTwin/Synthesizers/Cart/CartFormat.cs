using TabTwin.Encoding;
using TabTwin.Bundles;

namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// The model-file layout of a <see cref="CartModel"/>: the encoding, one JSON entry "cart" (options, visiting
/// order, per-column header) and flat arrays per column: "cart.{j}.edges", "cart.{j}.tree.ints"/".values" and,
/// for continuous columns with missing values, "cart.{j}.missing.ints"/".values".
/// </summary>
internal static class CartFormat
{
    private const string Entry = "cart";

    private sealed record ColumnHeader(string Name, double Low, double High, bool HasMissingTree);
    private sealed record Parameters(CartOptions Options, int[] VisitOrder, ColumnHeader[] Columns);

    public static void Write(ModelBundleWriter bundle, CartModel model)
    {
        model.Encoding.Write(bundle);
        var headers = model.Columns.Select(c => new ColumnHeader(c.Name, c.Low, c.High, c.MissingTree is not null)).ToArray();
        bundle.WriteJson(Entry, new Parameters(model.Options, model.Order, headers), SynthesizerJson.Options);
        for (int j = 0; j < model.Columns.Length; j++)
        {
            var c = model.Columns[j];
            bundle.WriteArray($"{Entry}.{j}.edges", c.Edges);
            bundle.WriteArray($"{Entry}.{j}.tree.ints", c.Tree.PackInts());
            bundle.WriteArray($"{Entry}.{j}.tree.values", c.Tree.LeafValues);
            if (c.MissingTree is { } mt)
            {
                bundle.WriteArray($"{Entry}.{j}.missing.ints", mt.PackInts());
                bundle.WriteArray($"{Entry}.{j}.missing.values", mt.LeafValues);
            }
        }
    }

    public static CartModel Read(ModelBundleReader bundle)
    {
        var encoding = TableEncoding.Read(bundle);
        var p = bundle.ReadJson<Parameters>(Entry, SynthesizerJson.Options);
        ModelFileException Bad(string what) => new("model.bad-entry", $"Model entry '{Entry}': {what}.", bundle.File);
        if (p.Options is null || p.Columns is null || p.VisitOrder is null) throw Bad("options, visit order or columns are missing");
        var states = encoding.Modelled;
        int m = states.Length;
        if (!p.Columns.Select(c => c.Name).SequenceEqual(states.Select(s => s.Name))) throw Bad("its columns do not match the encoding's modelled columns");
        if (p.VisitOrder.Length != m || p.VisitOrder.Any(j => (uint)j >= (uint)m) || p.VisitOrder.Distinct().Count() != m)
            throw Bad("the visit order is not a permutation of the modelled columns");

        var edges = new double[m][];
        var binCounts = new int[m];
        var categorical = states.Select(s => s.EncodedKind == EncodedKind.Discrete).ToArray();
        for (int j = 0; j < m; j++)
        {
            edges[j] = bundle.ReadDoubles($"{Entry}.{j}.edges");
            if (edges[j].Any(e => !double.IsFinite(e))) throw Bad($"column '{states[j].Name}' has a non-finite bin edge");
            binCounts[j] = categorical[j] ? states[j].Cardinality + 1 : edges[j].Length + 2;
        }
        var position = new int[m];
        for (int k = 0; k < m; k++) position[p.VisitOrder[k]] = k;

        var columns = new CartColumn[m];
        for (int j = 0; j < m; j++)
        {
            var h = p.Columns[j];
            CartTree ReadTree(string role, int classes)
            {
                var tree = CartTree.Unpack(bundle.ReadInts($"{Entry}.{j}.{role}.ints"), bundle.ReadDoubles($"{Entry}.{j}.{role}.values"), m, binCounts, categorical)
                           ?? throw Bad($"column '{h.Name}' has an inconsistent {role} tree");
                // A tree may only split on columns synthesized before its own, and class leaves must have one count per class.
                if (tree.Feature.Any(f => f >= 0 && position[f] >= position[j])) throw Bad($"column '{h.Name}' splits on a column visited later");
                if (tree.LeafValues.Any(v => !double.IsFinite(v) || (classes > 0 && v < 0))) throw Bad($"column '{h.Name}' has a non-finite or negative leaf value");
                for (int l = 0; l < tree.LeafCount; l++)
                {
                    var span = tree.LeafSpan(l);
                    if (classes > 0 && (span.Length != classes || !(span[^1] > 0))) throw Bad($"column '{h.Name}' has a leaf with bad class counts");
                    if (classes == 0 && (span.Length == 0 || !IsNonDecreasing(span))) throw Bad($"column '{h.Name}' has a leaf whose value quantiles are not increasing");
                }
                return tree;
            }
            bool discrete = categorical[j];
            var main = ReadTree("tree", discrete ? states[j].Cardinality + 1 : 0);
            var missingTree = !discrete && h.HasMissingTree ? ReadTree("missing", 2) : null;
            if (!discrete && !(h.Low <= h.High)) throw Bad($"column '{h.Name}' has an empty robust range");
            columns[j] = new CartColumn(h.Name, states[j].EncodedKind, states[j].Cardinality, edges[j], h.Low, h.High, main, missingTree);
        }
        return new CartModel(encoding, p.Options, p.VisitOrder, columns);
    }

    private static bool IsNonDecreasing(ReadOnlySpan<double> values)
    {
        for (int i = 1; i < values.Length; i++) if (!(values[i - 1] <= values[i])) return false;
        return true;
    }
}
