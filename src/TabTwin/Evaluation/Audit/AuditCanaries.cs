using System.Globalization;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Audit;

/// <summary>
/// The canary records an audit plants. Each canary takes every column's value from a different real row drawn at
/// random (each column independently), so every value is one the column really holds — a valid row of the schema, in
/// range, of a known category — while the combination is one no real row has: the records a model memorises if it
/// memorises anything, and that it cannot produce by learning the real distribution alone. Canaries are distinct from
/// each other and from every real row on the compared columns (those of <see cref="Privacy.MixedDistance"/>), redrawn
/// until they are. Id columns get fresh keys (numeric: above the largest real key; text: a real key with a suffix) so
/// they stay unique. Deterministic for a seed; the same call gives the same canaries (a test-only mechanism that must
/// know the audit's canaries calls this too).
/// </summary>
internal static class AuditCanaries
{
    /// <summary>Attempts per canary to find a combination no real row or earlier canary has.</summary>
    private const int MaxAttempts = 50;

    public static Table Create(Table real, TableSchema schema, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(schema);
        var compared = schema.Columns.Where(c => Privacy.MixedDistance.IsCompared(c.Kind)).Select(c => real[c.Name]).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < real.RowCount; i++) seen.Add(Key(compared, i, null));
        var rng = SeededRandom.For(seed, 0xCA7A);
        var sources = new int[real.ColumnCount][];
        for (int j = 0; j < sources.Length; j++) sources[j] = new int[count];
        var pick = new int[real.ColumnCount];
        var comparedIndex = compared.Select(c => real.IndexOf(c.Name)).ToArray();
        for (int k = 0; k < count; k++)
        {
            bool fresh = false;
            for (int attempt = 0; attempt < MaxAttempts && !fresh; attempt++)
            {
                for (int j = 0; j < pick.Length; j++) pick[j] = rng.NextInt(real.RowCount);
                fresh = seen.Add(Key(compared, -1, comparedIndex.Select(j => pick[j]).ToArray()));
            }
            if (!fresh)
                throw new TabTwinException("audit.too-few-combinations",
                    $"Only {k:N0} canaries could be made different from every real row and from each other; the audit asked for {count:N0}. " +
                    "The table's columns hold too few distinct combinations of values to plant more.",
                    hint: $"Use fewer canaries (--canaries {Math.Max(k / 2, 1)}), or audit a table with more columns or more distinct values.");
            for (int j = 0; j < pick.Length; j++) sources[j][k] = pick[j];
        }
        var columns = new Column[real.ColumnCount];
        for (int j = 0; j < columns.Length; j++)
        {
            var column = real[j];
            columns[j] = schema.Find(column.Name)?.Kind == ColumnKind.Id ? FreshKeys(column, count) : column.Take(sources[j]);
        }
        return new Table(columns);
    }

    /// <summary>The compared values of a row, joined; a real row by index, or a canary by its source rows per compared column.</summary>
    private static string Key(Column[] compared, int row, int[]? sources)
    {
        var parts = new string[compared.Length];
        for (int j = 0; j < compared.Length; j++)
        {
            int r = sources is null ? row : sources[j];
            parts[j] = compared[j].FormatValue(r) ?? "\u0000missing";
        }
        return string.Join('\u001f', parts);
    }

    /// <summary>Keys no real row holds: numbers above the largest real key, text keys with a canary suffix.</summary>
    private static Column FreshKeys(Column column, int count)
    {
        if (column is NumericColumn numbers)
        {
            double max = 0;
            for (int i = 0; i < numbers.Length; i++) if (!numbers.IsMissing(i)) max = Math.Max(max, numbers[i]);
            double start = Math.Floor(max) + 1;
            return new NumericColumn(column.Name, Enumerable.Range(0, count).Select(i => start + i).ToArray(), isInteger: true);
        }
        string stem = Enumerable.Range(0, column.Length).Select(column.FormatValue).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "canary";
        return new TextColumn(column.Name, Enumerable.Range(0, count).Select(i => $"{stem}-canary{i.ToString(CultureInfo.InvariantCulture)}").ToArray());
    }
}
