using System.Globalization;
using Sylvan.Data.Csv;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Schema;

/// <summary>
/// Loads shared datasets for the schema tests with the real <see cref="TabTwin.IO.TableReader"/> (so detection is
/// tested on the storage types users get), cached per file since several tests read the same dataset.
/// <see cref="ReadByHand"/> is a tiny independent loader (numbers, yyyy-MM-dd[ HH:mm:ss] dates, categorical when
/// ≤ 50% distinct, else text) used to check that detection does not hinge on one reader's choices.
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
            var table = TabTwin.IO.TableReader.Read(path);
            Cache[path] = table;
            return table;
        }
    }

    public static Table ReadByHand(string dataset, string file)
    {
        var path = TestData.Dataset(dataset, file);
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
}
