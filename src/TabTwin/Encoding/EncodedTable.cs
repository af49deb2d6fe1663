using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>How a modelled column is presented to synthesizers.</summary>
public enum EncodedKind
{
    /// <summary>Real numbers (numeric values; datetimes as seconds since 1970-01-01 on the wall clock).</summary>
    Continuous,
    /// <summary>Codes 0..Cardinality-1 (categories, booleans as 0=false/1=true, frequent text values plus one "other" code).</summary>
    Discrete,
}

/// <summary>
/// One modelled column in synthesizer-ready form. Exactly one of <see cref="Values"/> (continuous) or
/// <see cref="Codes"/> (discrete) is set. <see cref="Missing"/> marks missing rows; values/codes at those
/// rows are 0 and must be ignored. Synthesizers model missingness themselves (e.g. as an extra outcome).
/// </summary>
internal sealed class EncodedColumn
{
    private EncodedColumn(string name, EncodedKind kind, double[]? values, int[]? codes, int cardinality, Bitmask missing)
    {
        Name = name; Kind = kind; Values = values; Codes = codes; Cardinality = cardinality; Missing = missing;
    }

    public static EncodedColumn Continuous(string name, double[] values, Bitmask missing)
    {
        if (missing.Length != values.Length) throw new ArgumentException($"Column '{name}': mask and values differ in length.");
        return new(name, EncodedKind.Continuous, values, null, 0, missing);
    }

    public static EncodedColumn Discrete(string name, int[] codes, int cardinality, Bitmask missing)
    {
        if (missing.Length != codes.Length) throw new ArgumentException($"Column '{name}': mask and codes differ in length.");
        for (int i = 0; i < codes.Length; i++)
            if (!missing[i] && (uint)codes[i] >= (uint)cardinality)
                throw new ArgumentException($"Column '{name}' row {i + 1}: code {codes[i]} outside 0..{cardinality - 1}.");
        return new(name, EncodedKind.Discrete, null, codes, cardinality, missing);
    }

    public string Name { get; }
    public EncodedKind Kind { get; }
    public double[]? Values { get; }
    public int[]? Codes { get; }
    public int Cardinality { get; }
    public Bitmask Missing { get; }
    public int Length => Missing.Length;
}

/// <summary>The modelled columns of a table, in schema order (id and pii columns are not modelled: they are generated on decode).</summary>
internal sealed class EncodedTable
{
    public EncodedTable(IReadOnlyList<EncodedColumn> columns, int rowCount)
    {
        foreach (var c in columns)
            if (c.Length != rowCount) throw new ArgumentException($"Encoded column '{c.Name}' has {c.Length} rows, expected {rowCount}.");
        Columns = columns;
        RowCount = rowCount;
    }

    public IReadOnlyList<EncodedColumn> Columns { get; }
    public int RowCount { get; }
    public EncodedColumn this[int i] => Columns[i];
}
