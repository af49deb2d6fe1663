using System.Collections;
using System.Globalization;
using TabTwin.Schema;
using TabTwin.Synthesizers.Conditioning;
using TabTwin.Tables;

namespace TabTwin.Synthesizers;

/// <summary>
/// One requirement on one column of the sampled rows. Conditions compare like SQL: a missing value satisfies
/// only a condition that names missing explicitly (a <c>null</c> value in <see cref="EqualsCondition"/> /
/// <see cref="InCondition"/>), never a range or a not-equal.
/// </summary>
public abstract record ColumnCondition(string Column)
{
    /// <summary>Whether row <paramref name="row"/> of <paramref name="column"/> (the column this condition names) satisfies it.</summary>
    public abstract bool Matches(Column column, int row);

    /// <summary>Readable form such as <c>country = DE</c> or <c>age in [30, 40)</c> (ranges in the column's raw units).</summary>
    public abstract override string ToString();

    internal static string Quote(string? value) => value is null ? "(missing)"
        : value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || c is ',' or '(' or ')' or '"') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}

/// <summary>
/// Categorical/boolean (and exact numeric or datetime) equality. <see cref="Value"/> is invariant text, the way
/// <see cref="Column.FormatValue"/> prints it (numbers and dates are compared by value, so <c>30</c> equals <c>30.0</c>);
/// null = missing.
/// </summary>
public sealed record EqualsCondition(string Column, string? Value) : ColumnCondition(Column)
{
    public override bool Matches(Column column, int row) => ConditionValues.Equal(column, row, Value);
    public override string ToString() => Value is null ? $"{Column} is missing" : $"{Column} = {Quote(Value)}";
}

/// <summary>One of several values (categorical/boolean, or exact numbers/dates); a null entry admits missing.</summary>
public sealed record InCondition(string Column, IReadOnlyList<string?> Values) : ColumnCondition(Column)
{
    public override bool Matches(Column column, int row)
    {
        foreach (var v in Values) if (ConditionValues.Equal(column, row, v)) return true;
        return false;
    }

    public override string ToString() => $"{Column} in ({string.Join(", ", Values.Select(Quote))})";
    public bool Equals(InCondition? other) => other is not null && Column == other.Column && Values.SequenceEqual(other.Values);
    public override int GetHashCode() => HashCode.Combine(Column, Values.Count, Values.Count > 0 ? Values[0] : null);
}

/// <summary>
/// None of several values: the row's value is present and differs from every listed value. A missing value never
/// matches (SQL-like: <c>country != DE</c> excludes missing rows); <c>x is not missing</c> is NotIn([null]).
/// </summary>
public sealed record NotInCondition(string Column, IReadOnlyList<string?> Values) : ColumnCondition(Column)
{
    public override bool Matches(Column column, int row)
    {
        if (column.IsMissing(row)) return false;
        foreach (var v in Values) if (v is not null && ConditionValues.Equal(column, row, v)) return false;
        return true;
    }

    public override string ToString() => Values.Count == 1 && Values[0] is null ? $"{Column} is not missing"
        : Values.Count == 1 ? $"{Column} != {Quote(Values[0])}"
        : $"{Column} not in ({string.Join(", ", Values.Select(Quote))})";
    public bool Equals(NotInCondition? other) => other is not null && Column == other.Column && Values.SequenceEqual(other.Values);
    public override int GetHashCode() => HashCode.Combine(Column, Values.Count, Values.Count > 0 ? Values[0] : null);
}

/// <summary>
/// A numeric range in the column's units; datetime columns use <see cref="DateTime.Ticks"/> of the wall clock (as
/// <see cref="DateTimeColumn"/> stores them; whole-second values are exact as doubles). Null bounds are open ends.
/// Missing values never match.
/// </summary>
public sealed record RangeCondition(string Column, double? Min, bool MinInclusive, double? Max, bool MaxInclusive) : ColumnCondition(Column)
{
    /// <summary><c>min ≤ x &lt; max</c>, the usual half-open range.</summary>
    public static RangeCondition HalfOpen(string column, double min, double max) => new(column, min, true, max, false);
    public static RangeCondition AtLeast(string column, double min) => new(column, min, true, null, false);
    public static RangeCondition Below(string column, double max) => new(column, null, false, max, false);

    /// <summary>A range over datetimes (wall clock), converted to ticks.</summary>
    public static RangeCondition Between(string column, DateTime? from, bool fromInclusive, DateTime? to, bool toInclusive) =>
        new(column, from?.Ticks, fromInclusive, to?.Ticks, toInclusive);

    public bool Contains(double x) =>
        (Min is not { } lo || (MinInclusive ? x >= lo : x > lo)) && (Max is not { } hi || (MaxInclusive ? x <= hi : x < hi));

    /// <summary>No value can satisfy the range (min above max, or equal bounds with one side open, or NaN bounds).</summary>
    public bool IsEmpty => Min is { } lo && Max is { } hi && (double.IsNaN(lo) || double.IsNaN(hi) || lo > hi || (lo == hi && !(MinInclusive && MaxInclusive)));

    public override bool Matches(Column column, int row) => ConditionValues.NumberAt(column, row) is { } x && Contains(x);

    public override string ToString() => (Min, Max) switch
    {
        (null, null) => $"{Column} is any value",
        ({ } lo, null) => $"{Column} {(MinInclusive ? ">=" : ">")} {Num(lo)}",
        (null, { } hi) => $"{Column} {(MaxInclusive ? "<=" : "<")} {Num(hi)}",
        ({ } lo, { } hi) => $"{Column} in {(MinInclusive ? "[" : "(")}{Num(lo)}, {Num(hi)}{(MaxInclusive ? "]" : ")")}",
    };

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// The conditions every sampled row must satisfy (all of them: several conditions on one column intersect, so
/// <c>age &gt;= 30</c> and <c>age &lt; 40</c> make one range). Immutable.
/// </summary>
public sealed class ConditionSet : IReadOnlyList<ColumnCondition>, IEquatable<ConditionSet>
{
    private readonly ColumnCondition[] _conditions;

    private ConditionSet(ColumnCondition[] conditions) => _conditions = conditions;

    public static ConditionSet Of(params ColumnCondition[] conditions) => Of((IEnumerable<ColumnCondition>)conditions);

    public static ConditionSet Of(IEnumerable<ColumnCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var array = conditions.ToArray();
        foreach (var c in array)
            if (c is null || c.Column is null) throw new ArgumentException("A condition set cannot hold null conditions or null column names.");
        return array.Length == 0 ? Empty : new ConditionSet(array);
    }

    public static ConditionSet Empty { get; } = new([]);

    public int Count => _conditions.Length;
    public ColumnCondition this[int index] => _conditions[index];
    public bool IsEmpty => _conditions.Length == 0;

    /// <summary>The distinct column names conditioned on, in first-mention order.</summary>
    public IReadOnlyList<string> Columns => _conditions.Select(c => c.Column).Distinct().ToArray();

    /// <summary>The conditions on one column (empty when it is not conditioned).</summary>
    public IReadOnlyList<ColumnCondition> ForColumn(string column) => _conditions.Where(c => c.Column == column).ToArray();

    /// <summary>This set plus more conditions.</summary>
    public ConditionSet And(params ColumnCondition[] more) => Of(_conditions.Concat(more));

    /// <summary>Does row <paramref name="row"/> of <paramref name="table"/> satisfy every condition (a column the table lacks fails).</summary>
    public bool Matches(Table table, int row)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var c in _conditions)
            if (!table.TryGetColumn(c.Column, out var column) || !c.Matches(column, row)) return false;
        return true;
    }

    /// <summary>
    /// Checks the conditions against the metadata: every column exists (<c>condition.unknown-column</c>), each
    /// condition suits the column's kind (<c>condition.wrong-kind</c>: ranges need numerical/datetime columns, id and
    /// pii columns are generated and cannot be conditioned), values parse (<c>condition.bad-value</c>) and no range is
    /// empty (<c>condition.empty-range</c>). Throws a <see cref="TabTwinException"/> naming the column and condition.
    /// What the model learned (categories, ranges) is checked when sampling.
    /// </summary>
    public void Validate(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ConditionChecks.Validate(this, schema);
    }

    /// <summary>A canonical text of the conditions (order-insensitive), for grouping identical sets.</summary>
    public string Key => string.Join(" AND ", _conditions.Select(c => c.ToString()).Order(StringComparer.Ordinal));

    public override string ToString() => _conditions.Length == 0 ? "(no conditions)" : string.Join(" AND ", _conditions.Select(c => c.ToString()));

    public bool Equals(ConditionSet? other) => other is not null && Key == other.Key;
    public override bool Equals(object? obj) => Equals(obj as ConditionSet);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public IEnumerator<ColumnCondition> GetEnumerator() => ((IEnumerable<ColumnCondition>)_conditions).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _conditions.GetEnumerator();
}

/// <summary>
/// Implemented by models that condition natively (inside the model rather than by filtering).
/// </summary>
public interface IConditionalModel : ISynthesizerModel
{
    /// <summary>
    /// Returns exactly <paramref name="rows"/> rows, all satisfying <paramref name="conditions"/>, whose other columns
    /// follow the model's conditional distribution; deterministic for a seed on any thread count. Conditions the model
    /// cannot satisfy (a category it never emits, a range outside what it learned) throw a <see cref="TabTwinException"/>
    /// before any sampling.
    /// </summary>
    Table Sample(int rows, ConditionSet conditions, ulong seed, SampleContext? context = null);
}
