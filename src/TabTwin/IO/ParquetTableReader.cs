using System.Globalization;
using ParquetSharp;
using TabTwin.Tables;
using TColumn = TabTwin.Tables.Column;

namespace TabTwin.IO;

/// <summary>
/// Reads Parquet with ParquetSharp. Files written by TabTwin are restored exactly from their metadata; files from
/// other tools map by logical type: integers (8–64 bit, signed or not) → integer numeric (beyond ±2^53 → text),
/// float/double → numeric, decimal → numeric with the column's scale as decimal places, boolean → boolean,
/// string → the same inference as CSV, date → date-only datetime, timestamp → datetime. Other types (binary,
/// time of day, nested) raise "parquet.unsupported-type".
/// </summary>
internal static class ParquetTableReader
{
    public static Table Read(string path, Action<string>? warning = null)
    {
        FileChecks.EnsureReadable(path);
        ParquetFileReader file;
        try { file = new ParquetFileReader(path); }
        catch (ParquetException e)
        {
            throw new DataSourceException("parquet.invalid", $"'{path}' is not a readable Parquet file: {e.Message}", file: path, inner: e);
        }
        using (file)
        {
            var metadata = file.FileMetaData;
            var tabTwin = ParquetColumnMeta.Parse(metadata.KeyValueMetadata.GetValueOrDefault(ParquetColumnMeta.MetadataKey), path);
            int columnCount = metadata.NumColumns;
            var names = new string[columnCount];
            var chunks = new List<Array>[columnCount];
            for (int c = 0; c < columnCount; c++)
            {
                names[c] = metadata.Schema.Column(c).Name;
                chunks[c] = [];
            }
            for (int g = 0; g < metadata.NumRowGroups; g++)
            {
                using var rowGroup = file.RowGroup(g);
                int rows = checked((int)rowGroup.MetaData.NumRows);
                for (int c = 0; c < columnCount; c++)
                {
                    using var columnReader = rowGroup.Column(c);
                    using var logical = columnReader.LogicalReader();
                    chunks[c].Add(logical.Apply(new ReadAllVisitor(rows)));
                }
            }

            var byName = new Dictionary<string, Array>(StringComparer.Ordinal);
            for (int c = 0; c < columnCount; c++) byName[names[c]] = Concat(chunks[c]);
            var companions = tabTwin.Values.Where(m => m.OffsetColumn is not null).Select(m => m.OffsetColumn!).ToHashSet();
            var columns = new List<TColumn>();
            for (int c = 0; c < columnCount; c++)
            {
                if (companions.Contains(names[c])) continue;
                var descriptor = metadata.Schema.Column(c);
                var meta = tabTwin.GetValueOrDefault(names[c]);
                var offsets = meta?.OffsetColumn is { } oc ? byName.GetValueOrDefault(oc) as int?[] : null;
                columns.Add(Convert(names[c], byName[names[c]], descriptor, meta, offsets, path, warning));
            }
            if (columns.Count == 0 || columns[0].Length == 0)
                throw new DataSourceException("table.empty", $"'{path}' holds no data rows.", file: path);
            return new Table(columns);
        }
    }

    private sealed class ReadAllVisitor(int rows) : ILogicalColumnReaderVisitor<Array>
    {
        public Array OnLogicalColumnReader<TValue>(LogicalColumnReader<TValue> columnReader)
        {
            var values = columnReader.ReadAll(rows);
            // Required (non-nullable) columns come back as T[]: widen to T?[] so one conversion path serves both.
            var type = typeof(TValue);
            if (type.IsValueType && System.Nullable.GetUnderlyingType(type) is null)
                return (Array)ToNullableMethod.MakeGenericMethod(type).Invoke(null, [values])!;
            return values;
        }

        private static readonly System.Reflection.MethodInfo ToNullableMethod =
            typeof(ReadAllVisitor).GetMethod(nameof(ToNullable), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

        private static T?[] ToNullable<T>(T[] values) where T : struct
        {
            var result = new T?[values.Length];
            for (int i = 0; i < values.Length; i++) result[i] = values[i];
            return result;
        }
    }

    private static Array Concat(List<Array> chunks)
    {
        if (chunks.Count == 1) return chunks[0];
        var type = chunks.Count > 0 ? chunks[0].GetType().GetElementType()! : typeof(string);
        var result = Array.CreateInstance(type, chunks.Sum(a => a.Length));
        int at = 0;
        foreach (var chunk in chunks) { Array.Copy(chunk, 0, result, at, chunk.Length); at += chunk.Length; }
        return result;
    }

    private static TColumn Convert(string name, Array values, ColumnDescriptor descriptor, ParquetColumnMeta? meta, int?[]? offsets, string path, Action<string>? warning)
    {
        switch (values)
        {
            case string?[] s:
                if (meta?.Type == "categorical") return CategoricalColumn.FromStrings(name, s);
                if (meta?.Type == "text") return new TextColumn(name, s);
                return ColumnInference.Infer(name, s, new ReadOptions { MissingTokens = [], Warning = warning });
            case bool?[] b:
                return new BooleanColumn(name, b.Select(v => v ?? false).ToArray(), MaskOf(b), meta?.TrueToken ?? "true", meta?.FalseToken ?? "false");
            case double?[] d:
                return Numeric(name, d, meta, null, path, warning);
            case float?[] f:
                // Via the shortest float text, so 1.1f becomes 1.1 and not 1.100000023841858.
                return Numeric(name, f.Select(v => v is float x ? double.Parse(x.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : (double?)null).ToArray(), meta, null, path, warning);
            case decimal?[] m:
                int scale = descriptor.LogicalType is DecimalLogicalType dl ? dl.Scale : 0;
                return Numeric(name, m.Select(v => v is decimal x ? (double)x : (double?)null).ToArray(), meta, scale, path, warning);
            case long?[] l: return Integers(name, l, meta);
            case int?[] i: return Integers(name, i.Select(v => (long?)v).ToArray(), meta);
            case short?[] sh: return Integers(name, sh.Select(v => (long?)v).ToArray(), meta);
            case sbyte?[] sb: return Integers(name, sb.Select(v => (long?)v).ToArray(), meta);
            case byte?[] by: return Integers(name, by.Select(v => (long?)v).ToArray(), meta);
            case ushort?[] us: return Integers(name, us.Select(v => (long?)v).ToArray(), meta);
            case uint?[] ui: return Integers(name, ui.Select(v => (long?)v).ToArray(), meta);
            case ulong?[] ul:
                if (ul.Any(v => v > ValueShapes.MaxExactInteger)) return AsText(name, ul.Select(v => v?.ToString(CultureInfo.InvariantCulture)).ToArray());
                return Integers(name, ul.Select(v => (long?)v).ToArray(), meta);
            case Date?[] dates:
                return DateTimes(name, dates.Select(v => v?.DateTime.Ticks).ToArray(), meta?.Format ?? "yyyy-MM-dd", null);
            case DateTime?[] dt:
                return DateTimes(name, dt.Select(v => v?.Ticks).ToArray(), meta?.Format, offsets);
            case DateTimeNanos?[] ns:
                return DateTimes(name, ns.Select(v => v?.DateTime.Ticks).ToArray(), meta?.Format, offsets);
            default:
                var type = values.GetType().GetElementType()!;
                throw new DataSourceException("parquet.unsupported-type",
                    $"'{path}': column '{name}' has Parquet type {descriptor.LogicalType} ({descriptor.PhysicalType}, read as {type.Name}), which TabTwin cannot use.",
                    column: name, file: path, hint: "Convert the column to a number, string, boolean, date or timestamp, or drop it.");
        }
    }

    private static TColumn Integers(string name, long?[] values, ParquetColumnMeta? meta)
    {
        // Integers a double cannot hold exactly are kept as their digits.
        if (values.Any(v => v is long x && (x > ValueShapes.MaxExactInteger || x < -ValueShapes.MaxExactInteger)))
            return AsText(name, values.Select(v => v?.ToString(CultureInfo.InvariantCulture)).ToArray());
        return new NumericColumn(name, values.Select(v => (double)(v ?? 0)).ToArray(), MaskOf(values), meta?.IsInteger ?? true, meta?.DecimalPlaces ?? 0);
    }

    private static TColumn Numeric(string name, double?[] values, ParquetColumnMeta? meta, int? scale, string path, Action<string>? warning)
    {
        // Infinities, NaN and magnitudes beyond 1e150 are missing, as in every reader, and said once per column.
        var (data, mask, dropped) = UnusableNumbers.Filter(values.Select(v => v ?? 0).ToArray(), MaskOf(values));
        dropped.Report(warning, path, name);
        if (meta is not null) return new NumericColumn(name, data, mask, meta.IsInteger, meta.DecimalPlaces);
        if (scale is int s) return new NumericColumn(name, data, mask, s == 0, Math.Min(s, 15));
        // A foreign double column: whole numbers are not necessarily integers by intent, so detect from values.
        return new NumericColumn(name, data, mask);
    }

    private static TColumn DateTimes(string name, long?[] ticks, string? format, int?[]? offsets)
    {
        var mask = MaskOf(ticks);
        short[]? offsetMinutes = offsets?.Select(o => (short)(o ?? 0)).ToArray();
        var wall = new long[ticks.Length];
        for (int i = 0; i < wall.Length; i++)
            wall[i] = (ticks[i] ?? 0) + (offsetMinutes is null ? 0 : offsetMinutes[i] * TimeSpan.TicksPerMinute);
        format ??= wall.Where((_, i) => !mask[i]).All(t => t % TimeSpan.TicksPerSecond == 0) ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.FFFFFFF";
        return new DateTimeColumn(name, wall, mask, format, offsetMinutes);
    }

    private static TColumn AsText(string name, string?[] values) => ColumnInference.Infer(name, values, new ReadOptions { MissingTokens = [] });

    private static Bitmask MaskOf<T>(T?[] values) where T : struct
    {
        var b = new Bitmask.Builder(values.Length);
        for (int i = 0; i < values.Length; i++) b.Set(i, !values[i].HasValue);
        return b.Build();
    }
}
