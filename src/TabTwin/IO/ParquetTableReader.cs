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
                var dropped = new UnusableNumbers();
                columns.Add(Convert(names[c], byName[names[c]], descriptor, meta, offsets, path, dropped));
                dropped.Report(warning, DropSource(byName[names[c]], path), names[c]);
            }
            if (columns.Count == 0 || columns[0].Length == 0)
                throw new DataSourceException("table.empty", $"'{path}' holds no data rows.", file: path);
            return new Table(columns);
        }
    }

    /// <summary>Where a column's unusable-number count is said: numbers name the file, inferred text does not (as <see cref="ColumnInference.Infer"/>).</summary>
    internal static string? DropSource(Array values, string path) => values is string?[] ? null : path;

    private sealed class ReadAllVisitor(int rows) : ILogicalColumnReaderVisitor<Array>
    {
        public Array OnLogicalColumnReader<TValue>(LogicalColumnReader<TValue> columnReader) => Widen(columnReader.ReadAll(rows));
    }

    /// <summary>Required (non-nullable) columns come back as T[]: widened to T?[] so one conversion path serves both.</summary>
    internal static Array Widen<TValue>(TValue[] values)
    {
        var type = typeof(TValue);
        if (type.IsValueType && System.Nullable.GetUnderlyingType(type) is null)
            return (Array)ToNullableMethod.MakeGenericMethod(type).Invoke(null, [values])!;
        return values;
    }

    /// <summary>The element type <see cref="Widen"/> gives a column of <typeparamref name="TValue"/>.</summary>
    internal static Type WidenedType<TValue>()
    {
        var type = typeof(TValue);
        return type.IsValueType && System.Nullable.GetUnderlyingType(type) is null ? typeof(Nullable<>).MakeGenericType(type) : type;
    }

    private static readonly System.Reflection.MethodInfo ToNullableMethod =
        typeof(ParquetTableReader).GetMethod(nameof(ToNullable), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static T?[] ToNullable<T>(T[] values) where T : struct
    {
        var result = new T?[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
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

    /// <summary>
    /// One column from its values. Without a <paramref name="plan"/> the values decide what depends on them (string
    /// inference, a foreign double's integer-ness and decimals, a foreign timestamp's format, integers beyond 2^53 as
    /// text), as <see cref="Read"/> does; a chunked pass gives the plan decided over the whole file
    /// (<see cref="ParquetChunkSource"/>), and a value that no longer fits it is <c>io.changed</c> at row
    /// <paramref name="firstRow"/> + its index + 1. Unusable numbers read as missing are counted into <paramref name="dropped"/>.
    /// </summary>
    internal static TColumn Convert(string name, Array values, ColumnDescriptor descriptor, ParquetColumnMeta? meta, int?[]? offsets, string path,
        UnusableNumbers dropped, ParquetColumnPlan? plan = null, long firstRow = 0)
    {
        switch (values)
        {
            case string?[] s:
                if (meta?.Type == "categorical") return CategoricalColumn.FromStrings(name, s);
                if (meta?.Type == "text") return new TextColumn(name, s);
                if (plan?.Text is { } textPlan) return FromPlan(name, s, textPlan, dropped, path, firstRow);
                var noTokens = new MissingTokens([]);
                var profile = new ColumnProfile(name);
                ColumnInference.Observe(profile, s, noTokens);
                return ColumnInference.Build(name, s, profile.Decide(), noTokens, dropped, out _)
                    ?? throw new InvalidOperationException($"Column '{name}' no longer parses as inferred.");
            case bool?[] b:
                return new BooleanColumn(name, b.Select(v => v ?? false).ToArray(), MaskOf(b), meta?.TrueToken ?? "true", meta?.FalseToken ?? "false");
            case double?[] d:
                return Numeric(name, d, meta, null, plan, dropped);
            case float?[] f:
                // Via the shortest float text, so 1.1f becomes 1.1 and not 1.100000023841858.
                return Numeric(name, f.Select(v => v is float x ? double.Parse(x.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : (double?)null).ToArray(), meta, null, plan, dropped);
            case decimal?[] m:
                int scale = descriptor.LogicalType is DecimalLogicalType dl ? dl.Scale : 0;
                return Numeric(name, m.Select(v => v is decimal x ? (double)x : (double?)null).ToArray(), meta, scale, plan, dropped);
            case long?[] l: return Integers(name, l, meta, plan, path, firstRow);
            case int?[] i: return Integers(name, i.Select(v => (long?)v).ToArray(), meta, plan, path, firstRow);
            case short?[] sh: return Integers(name, sh.Select(v => (long?)v).ToArray(), meta, plan, path, firstRow);
            case sbyte?[] sb: return Integers(name, sb.Select(v => (long?)v).ToArray(), meta, plan, path, firstRow);
            case byte?[] by: return Integers(name, by.Select(v => (long?)v).ToArray(), meta, plan, path, firstRow);
            case ushort?[] us: return Integers(name, us.Select(v => (long?)v).ToArray(), meta, plan, path, firstRow);
            case uint?[] ui: return Integers(name, ui.Select(v => (long?)v).ToArray(), meta, plan, path, firstRow);
            case ulong?[] ul:
                if (plan?.Text is { } ulongText) return FromPlan(name, IntegerTexts(ul), ulongText, dropped, path, firstRow);
                if (ul.Any(v => v > ValueShapes.MaxExactInteger))
                    return plan is null ? AsText(name, IntegerTexts(ul)) : throw Changed(path, name, firstRow + Array.FindIndex(ul, v => v > ValueShapes.MaxExactInteger));
                return Integers(name, ul.Select(v => (long?)v).ToArray(), meta, plan, path, firstRow);
            case Date?[] dates:
                return DateTimes(name, dates.Select(v => v?.DateTime.Ticks).ToArray(), meta?.Format ?? "yyyy-MM-dd", null);
            case DateTime?[] dt:
                return DateTimes(name, dt.Select(v => v?.Ticks).ToArray(), meta?.Format ?? plan?.DateFormat, offsets);
            case DateTimeNanos?[] ns:
                return DateTimes(name, ns.Select(v => v?.DateTime.Ticks).ToArray(), meta?.Format ?? plan?.DateFormat, offsets);
            default:
                var type = values.GetType().GetElementType()!;
                throw new DataSourceException("parquet.unsupported-type",
                    $"'{path}': column '{name}' has Parquet type {descriptor.LogicalType} ({descriptor.PhysicalType}, read as {type.Name}), which TabTwin cannot use.",
                    column: name, file: path, hint: "Convert the column to a number, string, boolean, date or timestamp, or drop it.");
        }
    }

    /// <summary>Whether an integer needs more than a double's 53 bits (such a column is read as its digits).</summary>
    internal static bool Beyond(long? v) => v is long x && (x > ValueShapes.MaxExactInteger || x < -ValueShapes.MaxExactInteger);

    internal static string?[] IntegerTexts<T>(T?[] values) where T : struct, IFormattable
        => values.Select(v => v?.ToString(null, CultureInfo.InvariantCulture)).ToArray();

    private static TColumn Integers(string name, long?[] values, ParquetColumnMeta? meta, ParquetColumnPlan? plan, string path, long firstRow)
    {
        if (plan?.Text is { } textPlan) return FromPlan(name, IntegerTexts(values), textPlan, new UnusableNumbers(), path, firstRow);
        // Integers a double cannot hold exactly are kept as their digits.
        if (values.Any(Beyond))
            return plan is null ? AsText(name, IntegerTexts(values)) : throw Changed(path, name, firstRow + Array.FindIndex(values, Beyond));
        return new NumericColumn(name, values.Select(v => (double)(v ?? 0)).ToArray(), MaskOf(values), meta?.IsInteger ?? true, meta?.DecimalPlaces ?? 0);
    }

    private static TColumn Numeric(string name, double?[] values, ParquetColumnMeta? meta, int? scale, ParquetColumnPlan? plan, UnusableNumbers dropped)
    {
        // Infinities, NaN and magnitudes beyond 1e150 are missing, as in every reader, and said once per column (by the caller).
        var (data, mask, counts) = UnusableNumbers.Filter(values.Select(v => v ?? 0).ToArray(), MaskOf(values));
        dropped.Add(counts);
        if (meta is not null) return new NumericColumn(name, data, mask, meta.IsInteger, meta.DecimalPlaces);
        if (scale is int s) return new NumericColumn(name, data, mask, s == 0, Math.Min(s, 15));
        // A foreign double column: whole numbers are not necessarily integers by intent, so detect from values (over
        // the whole file when chunked: the plan).
        return new NumericColumn(name, data, mask, plan?.IsInteger, plan?.DecimalPlaces);
    }

    private static TColumn FromPlan(string name, string?[] values, ColumnPlan plan, UnusableNumbers dropped, string path, long firstRow)
        => ColumnInference.Build(name, values, plan, new MissingTokens([]), dropped, out int failed) ?? throw Changed(path, name, firstRow + failed);

    /// <summary>A value at 0-based <paramref name="row"/> that does not fit the plan decided when the file was opened.</summary>
    internal static DataSourceException Changed(string path, string column, long row)
        => new("io.changed", $"'{path}' changed while it was being read (row {row + 1}, column '{column}').", column: column, row: row + 1, file: path);

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
