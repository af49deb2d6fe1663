using System.Globalization;
using Sylvan.Data.Csv;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Schema;

/// <summary>
/// A tiny CSV-to-Table loader for the schema tests (independent of the I/O package): numbers when every present
/// field parses as a number, datetimes for yyyy-MM-dd[ HH:mm:ss], otherwise categorical (≤ 50% distinct) or text.
/// Empty fields are missing. Tables are cached per file since several tests read the same dataset.
/// </summary>
internal static class CsvTestTables
{
    private static readonly Dictionary<string, Table> Cache = new();

    public static Table Load(string dataset, string file)
    {
        var path = TestData.Dataset(dataset, file);
        lock (Cache)
        {
            if (Cache.TryGetValue(path, out var cached)) return cached;
            var table = Read(path);
            Cache[path] = table;
            return table;
        }
    }

    private static Table Read(string path)
    {
        using var reader = CsvDataReader.Create(path, new CsvDataReaderOptions { HasHeaders = true });
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var fields = names.Select(_ => new List<string?>()).ToArray();
        while (reader.Read())
            for (int i = 0; i < names.Length; i++)
            {
                var s = reader.GetString(i);
                fields[i].Add(s.Length == 0 ? null : s);
            }
        return new Table(names.Select((n, i) => Infer(n, fields[i])));
    }

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss"];

    public static Column Infer(string name, IReadOnlyList<string?> values)
    {
        var present = values.Where(v => v is not null).ToList();
        if (present.Count > 0 && present.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            var d = values.Select(v => v is null ? 0 : double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            return new NumericColumn(name, d, Bitmask.FromBools(values.Select(v => v is null).ToArray()));
        }
        foreach (var format in DateFormats)
            if (present.Count > 0 && present.All(v => DateTime.TryParseExact(v, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
            {
                var t = values.Select(v => v is null ? 0 : DateTime.ParseExact(v, format, CultureInfo.InvariantCulture).Ticks).ToArray();
                return new DateTimeColumn(name, t, Bitmask.FromBools(values.Select(v => v is null).ToArray()), format);
            }
        int distinct = present.Distinct().Count();
        return distinct <= 0.5 * Math.Max(1, present.Count)
            ? CategoricalColumn.FromStrings(name, values)
            : new TextColumn(name, values.ToArray());
    }

    /// <summary>A one-column table from strings (types inferred as above).</summary>
    public static Table Single(string name, params string?[] values) => new([Infer(name, values)]);
}
