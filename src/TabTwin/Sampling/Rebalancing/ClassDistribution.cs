using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Rebalancing;

/// <summary>One class of a target column (its value as the column writes it; null = missing target) and its row count.</summary>
public sealed record ClassCount(string? Class, int Count)
{
    /// <summary>The class as shown to people: its value, or <c>(missing)</c>.</summary>
    public string Label => Class ?? "(missing)";
}

/// <summary>
/// The classes of a categorical or boolean target column and how many rows hold each: what rebalancing and
/// augmentation count and aim at. A class is a value as the column writes it (<see cref="Column.FormatValue"/>, so a
/// boolean written yes/no has classes <c>yes</c> and <c>no</c>). Rows with a missing target form no class; they are
/// counted in <see cref="MissingCount"/> and kept as a group of their own.
/// </summary>
public sealed class ClassDistribution
{
    private readonly int[] _rowClass;

    private ClassDistribution(string target, Column column, IReadOnlyList<ClassCount> classes, int[] rowClass, int missing)
    {
        Target = target;
        Column = column;
        Classes = classes;
        _rowClass = rowClass;
        MissingCount = missing;
    }

    public string Target { get; }
    /// <summary>The target column the classes were counted in.</summary>
    public Column Column { get; }
    /// <summary>Present classes, most frequent first (ties by text).</summary>
    public IReadOnlyList<ClassCount> Classes { get; }
    /// <summary>Rows whose target is missing.</summary>
    public int MissingCount { get; }
    public int Total => Column.Length;
    /// <summary>The rarest class (the last of <see cref="Classes"/>).</summary>
    public ClassCount Minority => Classes[^1];

    /// <summary>Share of all rows (missing targets included) holding <paramref name="classIndex"/>.</summary>
    public double Share(int classIndex) => Total == 0 ? 0 : (double)Classes[classIndex].Count / Total;

    /// <summary>Index into <see cref="Classes"/> of each row's class, −1 where the target is missing.</summary>
    public ReadOnlySpan<int> RowClasses => _rowClass;

    /// <summary>The rows holding class <paramref name="classIndex"/>, in table order.</summary>
    public int[] RowsOf(int classIndex)
    {
        var rows = new List<int>(Classes[classIndex].Count);
        for (int i = 0; i < _rowClass.Length; i++) if (_rowClass[i] == classIndex) rows.Add(i);
        return rows.ToArray();
    }

    /// <summary>
    /// Counts the classes of <paramref name="target"/>. The schema must declare it categorical or boolean; other kinds
    /// throw <c>rebalance.target-kind</c>, a column the table lacks <c>table.unknown-column</c>.
    /// </summary>
    public static ClassDistribution Of(Table table, TableSchema schema, string target)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(target);
        var column = table[target];
        CheckKind(schema, target);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new string?[column.Length];
        int missing = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            var key = keys[i] = column.FormatValue(i);
            if (key is null) { missing++; continue; }
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var classes = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new ClassCount(kv.Key, kv.Value)).ToList();
        var index = classes.Select((c, i) => (c.Class!, i)).ToDictionary(p => p.Item1, p => p.i, StringComparer.Ordinal);
        var rowClass = new int[keys.Length];
        for (int i = 0; i < keys.Length; i++) rowClass[i] = keys[i] is { } k ? index[k] : -1;
        return new ClassDistribution(target, column, classes, rowClass, missing);
    }

    /// <summary>Throws <c>rebalance.target-kind</c> unless the schema declares <paramref name="target"/> categorical or boolean.</summary>
    public static void CheckKind(TableSchema schema, string target)
    {
        var c = schema[target];
        if (c.Kind is ColumnKind.Categorical or ColumnKind.Boolean) return;
        throw new SchemaException("rebalance.target-kind",
            $"The target column '{target}' is {c.KindLabel}; rebalancing and augmentation need a categorical or boolean target (a set of classes).",
            column: target,
            hint: c.Kind == ColumnKind.Numerical
                ? "If its values are class labels (e.g. 0/1), declare it \"categorical\" in the metadata (-m)."
                : "Choose a categorical or boolean column.");
    }

    /// <summary>
    /// The index of the class a user named: the exact value first, then (booleans) any usual spelling of true/false,
    /// then a unique case-insensitive match. Unknown names throw <c>rebalance.unknown-class</c> listing the classes.
    /// </summary>
    public int Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < Classes.Count; i++) if (string.Equals(Classes[i].Class, name, StringComparison.Ordinal)) return i;
        if (Column is BooleanColumn b && BooleanSpelling(name) is { } flag)
        {
            var token = flag ? b.TrueToken : b.FalseToken;
            for (int i = 0; i < Classes.Count; i++) if (Classes[i].Class == token) return i;
        }
        var loose = Enumerable.Range(0, Classes.Count).Where(i => string.Equals(Classes[i].Class, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (loose.Count == 1) return loose[0];
        throw new TabTwinException("rebalance.unknown-class",
            $"The target column '{Target}' has no class '{name}'; its classes are: {string.Join(", ", Classes.Select(c => c.Class))}.",
            column: Target);
    }

    private static bool? BooleanSpelling(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "t" or "yes" or "y" or "1" => true,
        "false" or "f" or "no" or "n" or "0" => false,
        _ => null,
    };
}
