namespace TabTwin.Tables;

/// <summary>The storage type of a column (what its values are), independent of its role in the schema.</summary>
public enum ColumnType { Numeric, Categorical, Boolean, DateTime, Text }

/// <summary>
/// An immutable, typed column with a missing-value mask. Values at missing rows are unspecified
/// (zero/default) and must be ignored. Operations return new columns.
/// </summary>
public abstract class Column
{
    protected Column(string name, int length, Bitmask missing)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (missing.Length != length)
            throw new ArgumentException($"Missing mask has {missing.Length} rows but column '{name}' has {length}.");
        Name = name;
        Length = length;
        Missing = missing;
    }

    public string Name { get; }
    public int Length { get; }
    public Bitmask Missing { get; }
    public abstract ColumnType Type { get; }

    public bool IsMissing(int row) => Missing[row];
    public int MissingCount => Missing.Count;

    /// <summary>The value at <paramref name="row"/> as a boxed CLR value (double, string, bool, DateTime/DateTimeOffset), or null when missing.</summary>
    public abstract object? GetValue(int row);

    /// <summary>The value at <paramref name="row"/> as invariant-culture text in the column's own format, or null when missing.</summary>
    public abstract string? FormatValue(int row);

    /// <summary>A new column holding the given rows, in that order (rows may repeat).</summary>
    public abstract Column Take(ReadOnlySpan<int> rows);

    /// <summary>The same data under another name.</summary>
    public abstract Column WithName(string name);

    public override string ToString() => $"{Name}: {Type}[{Length}] ({MissingCount} missing)";
}
