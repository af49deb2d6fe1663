using System.Globalization;
using System.Reflection;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Converts between tables and .NET objects: classes with public settable properties, and positional records
/// (constructor parameters matched to columns by name, case-insensitively). Supported member types:
/// int, long, short, byte, double, float, decimal (and nullable), string, bool(?), DateTime(?), DateTimeOffset(?),
/// DateOnly(?), enums (→ categorical, every enum name as a category) and Guid (→ text).
/// </summary>
public static class ObjectTables
{
    /// <summary>One column per public readable property, in declaration order.</summary>
    public static Table FromObjects<T>(IEnumerable<T> items) => FromObjects(items, warning: null);

    /// <summary>
    /// One column per public readable property, in declaration order. Infinities, NaN and magnitudes beyond ±1e150 in
    /// double/float properties are missing (no model can use them), as in every reader; <paramref name="warning"/> is told
    /// once per column how many there were.
    /// </summary>
    public static Table FromObjects<T>(IEnumerable<T> items, Action<string>? warning)
    {
        ArgumentNullException.ThrowIfNull(items);
        var rows = items.ToList();
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();
        if (properties.Length == 0) throw new ArgumentException($"{typeof(T).Name} has no public readable properties to turn into columns.");
        return UnusableNumbers.Drop(new Table(properties.Select(p => ToColumn(p, rows.Select(r => r is null ? null : p.GetValue(r)).ToList()))),
            typeof(T).Name, warning);
    }

    private static Column ToColumn(PropertyInfo property, List<object?> values)
    {
        string name = property.Name;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var mask = Bitmask.FromBools(values.Select(v => v is null).ToArray());
        if (type.IsEnum)
        {
            var categories = Enum.GetNames(type);
            var codes = values.Select(v => v is null ? -1 : Array.IndexOf(categories, Enum.GetName(type, v))).ToArray();
            return new CategoricalColumn(name, codes, categories);
        }
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte))
            return new NumericColumn(name, values.Select(v => v is null ? 0 : Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray(), mask, true, 0);
        if (type == typeof(double) || type == typeof(float))
            return new NumericColumn(name, values.Select(v => v switch
            {
                null => 0,
                float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
                _ => (double)v,
            }).ToArray(), mask, isInteger: false);
        if (type == typeof(decimal))
        {
            int scale = values.OfType<decimal>().Select(m => (int)m.Scale).DefaultIfEmpty(0).Max();
            return new NumericColumn(name, values.Select(v => v is decimal m ? (double)m : 0).ToArray(), mask, scale == 0, Math.Min(scale, 15));
        }
        if (type == typeof(bool)) return new BooleanColumn(name, values.Select(v => v is true).ToArray(), mask);
        if (type == typeof(DateTime))
            return new DateTimeColumn(name, values.Select(v => v is DateTime d ? d.Ticks : 0).ToArray(), mask, DateTimeColumn.IsoFormat);
        if (type == typeof(DateOnly))
            return new DateTimeColumn(name, values.Select(v => v is DateOnly d ? d.ToDateTime(TimeOnly.MinValue).Ticks : 0).ToArray(), mask, "yyyy-MM-dd");
        if (type == typeof(DateTimeOffset))
            return new DateTimeColumn(name, values.Select(v => v is DateTimeOffset d ? d.DateTime.Ticks : 0).ToArray(), mask,
                "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", values.Select(v => v is DateTimeOffset d ? (short)d.Offset.TotalMinutes : (short)0).ToArray());
        if (type == typeof(Guid)) return new TextColumn(name, values.Select(v => (v as Guid?)?.ToString("D")).ToArray());
        if (type == typeof(string))
        {
            var strings = values.Select(v => (string?)v).ToArray();
            int present = strings.Count(s => s is not null);
            int distinct = strings.Where(s => s is not null).Distinct(StringComparer.Ordinal).Count();
            return ColumnProfile.IsCategorical(distinct, present) ? CategoricalColumn.FromStrings(name, strings) : new TextColumn(name, strings);
        }
        throw new ArgumentException($"Property '{property.DeclaringType?.Name}.{name}' has type {property.PropertyType.Name}, which cannot become a column.");
    }

    /// <summary>
    /// One object per row. Types with a public parameterless constructor get their settable properties set from
    /// same-named columns (properties without a column keep their default); otherwise the public constructor
    /// with the most parameters is called with same-named columns (a parameter without a column is an error
    /// unless it has a default). Values that do not fit raise a <see cref="TabTwinException"/> "objects.convert"
    /// naming the property, column and row.
    /// </summary>
    public static List<T> ToObjects<T>(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var type = typeof(T);
        var defaultCtor = type.GetConstructor(Type.EmptyTypes);
        var ctor = defaultCtor ?? type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new ArgumentException($"{type.Name} has no public constructor.");
        var parameters = ctor.GetParameters();
        var parameterColumns = parameters.Select(p => FindColumn(table, p.Name!)).ToArray();
        for (int i = 0; i < parameters.Length; i++)
            if (parameterColumns[i] is null && !parameters[i].HasDefaultValue)
                throw new TabTwinException("objects.missing-column",
                    $"{type.Name}'s constructor needs '{parameters[i].Name}', but the table has no such column; it has: {string.Join(", ", table.ColumnNames)}.",
                    column: parameters[i].Name);
        var covered = new HashSet<string>(parameters.Select(p => p.Name!), StringComparer.OrdinalIgnoreCase);
        var setters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic && !covered.Contains(p.Name))
            .Select(p => (Property: p, Column: FindColumn(table, p.Name)))
            .Where(x => x.Column is not null).ToArray();

        var result = new List<T>(table.RowCount);
        var args = new object?[parameters.Length];
        for (int row = 0; row < table.RowCount; row++)
        {
            for (int i = 0; i < parameters.Length; i++)
                args[i] = parameterColumns[i] is { } c
                    ? ConvertValue(c, row, parameters[i].ParameterType, parameters[i].Name!, type)
                    : parameters[i].DefaultValue;
            var item = (T)ctor.Invoke(args);
            foreach (var (property, column) in setters)
                property.SetValue(item, ConvertValue(column!, row, property.PropertyType, property.Name, type));
            result.Add(item);
        }
        return result;
    }

    private static Column? FindColumn(Table table, string name)
    {
        if (table.TryGetColumn(name, out var exact)) return exact;
        return table.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static object? ConvertValue(Column column, int row, Type target, string member, Type owner)
    {
        var underlying = Nullable.GetUnderlyingType(target);
        bool nullable = underlying is not null || !target.IsValueType;
        var type = underlying ?? target;
        if (column.Missing[row])
            return nullable ? null : throw Fail(column, row, target, member, owner, "the value is missing but the member is not nullable");
        object? value = column.GetValue(row);
        try
        {
            if (type == typeof(string)) return column.FormatValue(row);
            if (type.IsEnum)
            {
                var text = column.FormatValue(row)!;
                return Enum.TryParse(type, text, ignoreCase: false, out var e) && Enum.IsDefined(type, e!) ? e
                    : throw Fail(column, row, target, member, owner, $"'{text}' is not a {type.Name} value");
            }
            if (type == typeof(Guid)) return Guid.Parse(column.FormatValue(row)!);
            switch (value)
            {
                case double d when IsIntegral(type):
                    if (d != Math.Floor(d)) throw Fail(column, row, target, member, owner, $"{d.ToString(CultureInfo.InvariantCulture)} is not a whole number");
                    return Convert.ChangeType(checked((long)d), type, CultureInfo.InvariantCulture);
                case double d when type == typeof(double): return d;
                case double d when type == typeof(float): return (float)d;
                case double d when type == typeof(decimal): return (decimal)d;
                case bool b when type == typeof(bool): return b;
                case DateTime dt when type == typeof(DateTime): return dt;
                case DateTime dt when type == typeof(DateOnly): return DateOnly.FromDateTime(dt);
                case DateTime dt when type == typeof(DateTimeOffset): return new DateTimeOffset(dt, TimeSpan.Zero);
                case DateTimeOffset dto when type == typeof(DateTimeOffset): return dto;
                case DateTimeOffset dto when type == typeof(DateTime): return dto.DateTime;
                case DateTimeOffset dto when type == typeof(DateOnly): return DateOnly.FromDateTime(dto.DateTime);
            }
        }
        catch (Exception e) when (e is OverflowException or FormatException or InvalidCastException)
        {
            throw Fail(column, row, target, member, owner, e.Message);
        }
        throw Fail(column, row, target, member, owner, $"a {column.Type} value cannot become {target.Name}");
    }

    private static bool IsIntegral(Type t) => t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte);

    private static TabTwinException Fail(Column column, int row, Type target, string member, Type owner, string why)
        => new("objects.convert",
            $"Cannot set {owner.Name}.{member} ({TypeName(target)}) from column '{column.Name}' row {row + 1} ('{column.FormatValue(row)}'): {why}.",
            column: column.Name, row: row + 1);

    private static string TypeName(Type t) => Nullable.GetUnderlyingType(t) is { } u ? u.Name + "?" : t.Name;
}
