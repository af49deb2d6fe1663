using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>
/// A boolean column: codes 0 = false, 1 = true, whether stored as booleans, as numbers 0/1 or as a two-valued
/// categorical column. Decoding restores the storage type and the source's spelling of true/false.
/// </summary>
internal sealed record BooleanEncoderState : ColumnEncoderState
{
    private static readonly string[] TrueWords = ["true", "t", "yes", "y", "1", "on"];
    private static readonly string[] FalseWords = ["false", "f", "no", "n", "0", "off"];

    /// <summary>How true is written (for categorical storage: the category; for numeric: "1").</summary>
    public required string TrueToken { get; init; }
    public required string FalseToken { get; init; }
    /// <summary>Categorical storage: the source dictionary order, so decoded columns list categories the same way.</summary>
    public string[]? Dictionary { get; init; }

    public override int Cardinality => 2;

    internal override string? Problem() =>
        base.Problem() ?? (TrueToken is null || FalseToken is null ? "its true/false spellings are missing"
            : Dictionary is not null && Dictionary.Any(d => d is null) ? "its dictionary has an empty entry"
            : Unstorable([TrueToken, FalseToken], Dictionary));

    internal static BooleanEncoderState Fit(Column column, string kindLabel)
    {
        switch (column)
        {
            case BooleanColumn b:
                return new BooleanEncoderState { Name = b.Name, Storage = StorageSpec.Of(b), TrueToken = b.TrueToken, FalseToken = b.FalseToken };
            case NumericColumn n:
                for (int i = 0; i < n.Length; i++)
                    if (!n.IsMissing(i) && n[i] is not (0 or 1))
                        throw EncodingErrors.Unsuitable(n.Name, kindLabel, $"holds the number {n[i]} at row {i + 1}; numeric boolean columns may hold only 0 and 1", i + 1);
                return new BooleanEncoderState { Name = n.Name, Storage = StorageSpec.Of(n), TrueToken = "1", FalseToken = "0" };
            case CategoricalColumn c:
            {
                var (values, counts) = CategoricalEncoderState.CountValues(c);
                var seen = values.Where((_, i) => counts[i] > 0).ToArray();
                if (seen.Length > 2)
                    throw EncodingErrors.Unsuitable(c.Name, kindLabel,
                        $"holds {seen.Length} distinct values ({string.Join(", ", seen.Take(5))}{(seen.Length > 5 ? ", ..." : "")}); a boolean column has at most two");
                var (t, f) = PickTokens(seen);
                return new BooleanEncoderState { Name = c.Name, Storage = StorageSpec.Of(c), TrueToken = t, FalseToken = f, Dictionary = values.ToArray() };
            }
            default:
                throw EncodingErrors.Unsuitable(column.Name, kindLabel, $"holds {column.Type} values");
        }
    }

    /// <summary>Which of (at most) two spellings means true: a known word decides, else the ordinally larger one.</summary>
    private static (string True, string False) PickTokens(string[] seen)
    {
        bool IsTrue(string s) => TrueWords.Contains(s.Trim(), StringComparer.OrdinalIgnoreCase);
        bool IsFalse(string s) => FalseWords.Contains(s.Trim(), StringComparer.OrdinalIgnoreCase);
        if (seen.Length == 1)
            return IsFalse(seen[0]) ? (Partner(seen[0]), seen[0]) : (seen[0], Partner(seen[0]));
        var sorted = seen.OrderBy(s => s, StringComparer.Ordinal).ToArray();
        if (IsTrue(sorted[0]) || IsFalse(sorted[1])) return (sorted[0], sorted[1]);
        return (sorted[1], sorted[0]);
    }

    /// <summary>The opposite spelling of a lone value (never emitted: the model only learned the value it saw).</summary>
    private static string Partner(string s)
    {
        int i = Array.FindIndex(TrueWords, w => string.Equals(w, s.Trim(), StringComparison.OrdinalIgnoreCase));
        if (i >= 0) return FalseWords[i];
        i = Array.FindIndex(FalseWords, w => string.Equals(w, s.Trim(), StringComparison.OrdinalIgnoreCase));
        return i >= 0 ? TrueWords[i] : "not " + s;
    }

    internal override EncodedColumn Encode(Column column)
    {
        if (column.Type != Storage.Type) throw EncodingErrors.StorageChanged(Name, Storage.Type, column.Type);
        int[] codes;
        if (column is BooleanColumn b)
        {
            codes = new int[column.Length];
            for (int i = 0; i < codes.Length; i++) codes[i] = !b.IsMissing(i) && b[i] ? 1 : 0;
        }
        else
            codes = ColumnStorage.MapValues(column, (s, row) =>
                s == TrueToken ? 1 : s == FalseToken ? 0 : throw EncodingErrors.UnknownValue(Name, s, row));
        return EncodedColumn.Discrete(Name, codes, 2, column.Missing);
    }

    internal override Column Decode(EncodedColumn? encoded, int rowCount, EncodingOptions options, ulong seed)
    {
        var codes = encoded!.Codes!;
        if (Storage.Type == ColumnType.Boolean)
        {
            var v = new bool[rowCount];
            for (int i = 0; i < rowCount; i++) v[i] = !encoded.Missing[i] && codes[i] == 1;
            return new BooleanColumn(Name, v, encoded.Missing, TrueToken, FalseToken);
        }
        var values = new string?[rowCount];
        for (int i = 0; i < rowCount; i++)
            if (!encoded.Missing[i]) values[i] = codes[i] == 1 ? TrueToken : FalseToken;
        return ColumnStorage.FromStrings(Name, values, Storage, Dictionary);
    }
}
