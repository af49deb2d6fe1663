using ParquetSharp;
using TabTwin.Tables;
using PColumn = ParquetSharp.Column;
using TColumn = TabTwin.Tables.Column;

namespace TabTwin.IO;

/// <summary>
/// Writes a table to Parquet with ParquetSharp: every column optional (nullable) so missing values survive;
/// integer numbers as INT64, other numbers as DOUBLE, categorical/text as UTF-8 strings, booleans as BOOLEAN,
/// date-only columns as DATE, other datetimes as TIMESTAMP(micros) — the wall clock for columns without offsets,
/// the UTC instant plus a companion INT32 offset column for columns with offsets. Everything else is kept in
/// the key-value metadata (see <see cref="ParquetColumnMeta"/>). Sub-microsecond ticks are not kept.
/// </summary>
internal static class ParquetTableWriter
{
    private const int RowGroupSize = 1 << 20;

    // rowGroupSize: tests write files of many small groups.
    public static void Write(Table table, string path, int rowGroupSize = RowGroupSize)
    {
        var plans = table.Columns.Select(Plan).ToList();
        var schema = plans.SelectMany(p => p.ParquetColumns).ToArray();
        var metadata = new Dictionary<string, string> { [ParquetColumnMeta.MetadataKey] = ParquetColumnMeta.Serialize(plans.Select(p => p.Meta).ToList()) };
        using var writer = new ParquetFileWriter(path, schema, Compression.Snappy, metadata);
        for (int start = 0; start < Math.Max(1, table.RowCount); start += rowGroupSize)
        {
            int count = Math.Min(rowGroupSize, table.RowCount - start);
            using var rowGroup = writer.AppendRowGroup();
            foreach (var plan in plans) plan.WriteRows(rowGroup, start, count);
        }
        writer.Close();
    }

    private sealed record ColumnPlan(ParquetColumnMeta Meta, PColumn[] ParquetColumns, Action<RowGroupWriter, int, int> WriteRows);

    private static ColumnPlan Plan(TColumn column)
    {
        string name = column.Name;
        switch (column)
        {
            case NumericColumn n:
            {
                var values = n.Values.ToArray();
                // Integers beyond 2^53 are not exact anyway; they go as doubles with the integer flag kept.
                bool asInt64 = n.IsInteger && values.All(v => Math.Abs(v) <= ValueShapes.MaxExactInteger);
                var meta = new ParquetColumnMeta { Name = name, Type = "numeric", IsInteger = n.IsInteger, DecimalPlaces = n.DecimalPlaces };
                return asInt64
                    ? new(meta, [new Column<long?>(name)], (rg, s, c) => WriteBatch(rg, Nullable(n, s, c, i => (long)values[i])))
                    : new(meta, [new Column<double?>(name)], (rg, s, c) => WriteBatch(rg, Nullable(n, s, c, i => values[i])));
            }
            case BooleanColumn b:
                return new(new ParquetColumnMeta { Name = name, Type = "boolean", TrueToken = b.TrueToken, FalseToken = b.FalseToken },
                    [new Column<bool?>(name)], (rg, s, c) => WriteBatch(rg, Nullable(b, s, c, i => b[i])));
            case CategoricalColumn cat:
                return new(new ParquetColumnMeta { Name = name, Type = "categorical" },
                    [new Column<string>(name)], (rg, s, c) => WriteBatch(rg, Strings(cat, s, c)));
            case TextColumn text:
                return new(new ParquetColumnMeta { Name = name, Type = "text" },
                    [new Column<string>(name)], (rg, s, c) => WriteBatch(rg, Strings(text, s, c)));
            case DateTimeColumn d:
                return PlanDateTime(d);
            default:
                throw new ArgumentException($"Column '{name}' has an unknown column class {column.GetType().Name}.");
        }
    }

    private static ColumnPlan PlanDateTime(DateTimeColumn d)
    {
        string name = d.Name;
        if (d.HasOffset)
        {
            string offsetName = ParquetColumnMeta.OffsetColumnPrefix + name;
            var meta = new ParquetColumnMeta { Name = name, Type = "datetime", Format = d.Format, OffsetColumn = offsetName };
            PColumn[] columns = [new Column<DateTime?>(name, LogicalType.Timestamp(true, TimeUnit.Micros)), new Column<int?>(offsetName)];
            return new(meta, columns, (rg, s, c) =>
            {
                WriteBatch(rg, Nullable(d, s, c, i => new DateTime(d.Ticks[i] - d.OffsetMinutes[i] * TimeSpan.TicksPerMinute, DateTimeKind.Utc)));
                WriteBatch(rg, Nullable(d, s, c, i => (int)d.OffsetMinutes[i]));
            });
        }
        var plain = new ParquetColumnMeta { Name = name, Type = "datetime", Format = d.Format };
        if (d.IsDateOnly)
            return new(plain, [new Column<Date?>(name)], (rg, s, c) => WriteBatch(rg, Nullable(d, s, c, i => new Date(new DateTime(d.Ticks[i])))));
        return new(plain, [new Column<DateTime?>(name, LogicalType.Timestamp(false, TimeUnit.Micros))],
            (rg, s, c) => WriteBatch(rg, Nullable(d, s, c, i => new DateTime(d.Ticks[i], DateTimeKind.Unspecified))));
    }

    private static T?[] Nullable<T>(TColumn column, int start, int count, Func<int, T> value) where T : struct
    {
        var result = new T?[count];
        for (int i = 0; i < count; i++)
            if (!column.Missing[start + i]) result[i] = value(start + i);
        return result;
    }

    private static string?[] Strings(TColumn column, int start, int count)
    {
        var result = new string?[count];
        for (int i = 0; i < count; i++) result[i] = column.FormatValue(start + i);
        return result;
    }

    private static void WriteBatch<T>(RowGroupWriter rowGroup, T[] values)
    {
        using var column = rowGroup.NextColumn();
        using var writer = column.LogicalWriter<T>();
        writer.WriteBatch(values);
    }
}
