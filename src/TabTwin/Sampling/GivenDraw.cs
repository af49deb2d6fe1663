using TabTwin.Encoding;
using TabTwin.Sampling.Constraints;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;

namespace TabTwin.Sampling;

/// <summary>
/// Draws rows of a CART model (a child table given its parent's values, a history's next step given the history so far) (possibly inside structures found among its own columns) whose leading columns take given
/// values: an exact draw from the model given them (<see cref="CartModel.SampleGiven"/>). Values the model never saw in a
/// given categorical column (a context category dropped as rare) are passed as missing rather than refused.
/// </summary>
internal static class GivenDraw
{
    public static Table Draw(ISynthesizerModel model, IReadOnlyList<Column> given, int rows, ulong seed, SampleContext? context)
    {
        if (given.Count == 0) return model.Sample(rows, seed, context);
        var (cart, constrained) = model switch
        {
            CartModel c => (c, (ConstrainedModel?)null),
            ConstrainedModel { Inner: CartModel c } m => (c, m),
            _ => throw new InvalidOperationException($"Drawing given values needs a CART model, not '{model.SynthesizerName}'."),
        };
        var modelled = cart.Encoding.Modelled;
        var encoded = new EncodedColumn?[modelled.Length];
        foreach (var column in given)
        {
            int j = -1;
            for (int k = 0; k < modelled.Length && j < 0; k++) if (modelled[k].Name == column.Name) j = k;
            if (j < 0) continue; // a column the encoding does not model (constant or empty in the training data)
            encoded[j] = modelled[j].Encode(KnownValuesOnly(modelled[j], column));
        }
        var drawn = cart.SampleGiven(encoded, rows, seed, context);
        return constrained is null ? drawn : constrained.Reverse(drawn);
    }

    /// <summary>Given values the encoding never saw (a category dropped as rare, a parent category without real children) become missing.</summary>
    private static Column KnownValuesOnly(ColumnEncoderState state, Column values)
    {
        if (state is not CategoricalEncoderState { HasRareCode: false } categorical) return values;
        var known = new HashSet<string>(categorical.Categories, StringComparer.Ordinal);
        var rows = Enumerable.Range(0, values.Length).Select(i => values.FormatValue(i) is { } s && !known.Contains(s) ? -1 : i).ToArray();
        return rows.Any(r => r < 0) ? ColumnTake.TakeOrMissing(values, rows) : values;
    }
}
