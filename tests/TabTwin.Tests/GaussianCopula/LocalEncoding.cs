using TabTwin.Encoding;
using TabTwin.Tables;

namespace TabTwin.Tests.GaussianCopula;

/// <summary>
/// The simplest possible table ↔ encoded-table mapping for numeric and categorical columns, so the copula's
/// statistics can be tested on their own, independent of the shared TableEncoding.
/// </summary>
internal static class LocalEncoding
{
    public static EncodedTable Encode(Table table) => new(table.Columns.Select(c => c switch
    {
        NumericColumn n => EncodedColumn.Continuous(n.Name, n.Values.ToArray(), n.Missing),
        CategoricalColumn k => EncodedColumn.Discrete(k.Name, k.Codes.ToArray().Select(x => Math.Max(x, 0)).ToArray(), k.Cardinality, k.Missing),
        _ => throw new ArgumentException($"LocalEncoding handles numeric and categorical columns, not {c.Type}."),
    }).ToList(), table.RowCount);

    public static Table Decode(EncodedTable encoded, Table like) => new(encoded.Columns.Select(e =>
    {
        var source = like[e.Name];
        if (e.Kind == EncodedKind.Continuous)
            return (Column)new NumericColumn(e.Name, e.Values!, e.Missing, ((NumericColumn)source).IsInteger, ((NumericColumn)source).DecimalPlaces);
        var codes = e.Codes!.Select((c, i) => e.Missing[i] ? -1 : c).ToArray();
        return new CategoricalColumn(e.Name, codes, ((CategoricalColumn)source).Categories.ToArray());
    }));
}
