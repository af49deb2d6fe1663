using TabTwin.IO;
using TabTwin.Schema.Relational;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.MultiTable;

/// <summary>Real relational databases for the multi-table tests, read from the in-repo CSVs (or ../shared for LargeData tests).</summary>
internal static class RelationalSamples
{
    private static readonly Lazy<RelationalData> ChinookData = new(TestData.Chinook);

    /// <summary>Chinook, all 11 tables (15,607 rows; MIT, see TestData/chinook/SOURCE.md).</summary>
    public static RelationalData Chinook() => ChinookData.Value;

    /// <summary>A dataset of ../shared/datasets read with its foreign_keys.txt and proposed primary keys (skips the test when absent).</summary>
    public static RelationalData Large(string dataset) =>
        RelationalSource.Read(Path.GetDirectoryName(TestData.LargeDataset(dataset, "foreign_keys.txt"))!);

    /// <summary>
    /// nycflights13 from ../shared, read as a user's folder: its weather table repeats the key (origin, year, month, day,
    /// hour) in the hour clocks turn back (3 Nov 2013 01:00); the reader keeps the first row of each and warns.
    /// </summary>
    public static RelationalData Nycflights13() => Large("nycflights13");

    /// <summary>Every foreign key of <paramref name="data"/> whose present value names no row of its parent, as "fk: value" lines.</summary>
    public static List<string> BrokenReferences(RelationalData data)
    {
        var broken = new List<string>();
        foreach (var fk in data.Metadata.ForeignKeys)
        {
            var parentKeys = KeyTexts(data[fk.ParentTable], fk.ParentColumns).Where(k => k is not null).ToHashSet();
            broken.AddRange(KeyTexts(data[fk.ChildTable], fk.ChildColumns).Where(k => k is not null && !parentKeys.Contains(k)).Select(k => $"{fk}: {k}"));
        }
        return broken;
    }

    /// <summary>Tables whose primary key repeats a value or is missing somewhere.</summary>
    public static List<string> BrokenPrimaryKeys(RelationalData data) =>
        data.Metadata.PrimaryKeys.Where(p => p.Value.Count > 0)
            .Where(p => KeyTexts(data[p.Key], p.Value) is var keys && (keys.Any(k => k is null) || keys.Distinct().Count() != keys.Length))
            .Select(p => p.Key).ToList();

    public static string?[] KeyTexts(Table table, IReadOnlyList<string> columns) =>
        Enumerable.Range(0, table.RowCount).Select(i => columns.Select(c => table[c].FormatValue(i)).ToArray())
            .Select(parts => parts.Any(p => p is null) ? null : string.Join("|", parts)).ToArray();

    /// <summary>Children per parent row (parents without children count 0).</summary>
    public static double[] ChildrenPerParent(RelationalData data, ForeignKey fk)
    {
        var counts = KeyTexts(data[fk.ChildTable], fk.ChildColumns).Where(k => k is not null).GroupBy(k => k!).ToDictionary(g => g.Key, g => g.Count());
        return KeyTexts(data[fk.ParentTable], fk.ParentColumns).Select(k => k is not null && counts.TryGetValue(k, out int c) ? (double)c : 0).ToArray();
    }

    /// <summary>1 − the two-sample Kolmogorov–Smirnov statistic (SDMetrics' KSComplement).</summary>
    public static double KsComplement(double[] a, double[] b)
    {
        var x = a.Order().ToArray();
        var y = b.Order().ToArray();
        double d = 0;
        foreach (double v in x.Concat(y).Distinct())
        {
            double fa = UpperBound(x, v) / (double)x.Length, fb = UpperBound(y, v) / (double)y.Length;
            d = Math.Max(d, Math.Abs(fa - fb));
        }
        return 1 - d;

        static int UpperBound(double[] sorted, double v)
        {
            int lo = 0, hi = sorted.Length;
            while (lo < hi) { int mid = (lo + hi) >> 1; if (sorted[mid] <= v) lo = mid + 1; else hi = mid; }
            return lo;
        }
    }
}
