namespace TabTwin.Tables;

/// <summary>
/// Categories stored as int codes into a dictionary of distinct strings (memory-lean for repeated
/// values). Code -1 marks a missing row.
/// </summary>
public sealed class CategoricalColumn : Column
{
    private readonly int[] _codes;
    private readonly string[] _categories;

    public CategoricalColumn(string name, int[] codes, string[] categories)
        : base(name, codes.Length, MaskFromCodes(codes))
    {
        for (int i = 0; i < codes.Length; i++)
            if (codes[i] < -1 || codes[i] >= categories.Length)
                throw new ArgumentException($"Column '{name}' row {i + 1}: code {codes[i]} is outside 0..{categories.Length - 1}.");
        _codes = codes;
        _categories = categories;
    }

    /// <summary>Builds a categorical column from strings (null = missing), categories in order of first appearance.</summary>
    public static CategoricalColumn FromStrings(string name, IReadOnlyList<string?> values)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var cats = new List<string>();
        var codes = new int[values.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            var s = values[i];
            if (s is null) { codes[i] = -1; continue; }
            if (!index.TryGetValue(s, out int c)) { c = cats.Count; index[s] = c; cats.Add(s); }
            codes[i] = c;
        }
        return new CategoricalColumn(name, codes, cats.ToArray());
    }

    public override ColumnType Type => ColumnType.Categorical;
    public ReadOnlySpan<int> Codes => _codes;
    public IReadOnlyList<string> Categories => _categories;
    public int Cardinality => _categories.Length;
    public string? this[int row] => _codes[row] < 0 ? null : _categories[_codes[row]];

    public override object? GetValue(int row) => this[row];
    public override string? FormatValue(int row) => this[row];

    public override Column Take(ReadOnlySpan<int> rows)
    {
        var c = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) c[i] = _codes[rows[i]];
        return new CategoricalColumn(Name, c, _categories);
    }

    public override Column WithName(string name) => new CategoricalColumn(name, _codes, _categories);

    /// <summary>How many rows hold each category (index = code).</summary>
    public int[] CountPerCategory()
    {
        var counts = new int[_categories.Length];
        foreach (var c in _codes) if (c >= 0) counts[c]++;
        return counts;
    }

    private static Bitmask MaskFromCodes(int[] codes)
    {
        var b = new Bitmask.Builder(codes.Length);
        for (int i = 0; i < codes.Length; i++) if (codes[i] < 0) b.Set(i);
        return b.Build();
    }
}
