using System.Text;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Encoding;

/// <summary>
/// A free-text column: codes 0..K-1 for values seen at least <see cref="EncodingOptions.TextMinimumCount"/>
/// times, plus one "other" code (always code K). Rarer values are never stored; "other" decodes to new text written
/// from the column's learned word and character statistics (<see cref="TextModel"/>), never a real rare value.
/// </summary>
internal sealed record TextEncoderState : ColumnEncoderState
{
    private const int LengthQuantileCount = 21;
    private static readonly string[] LoremWords =
    [
        "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod", "tempor",
        "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim", "ad", "minim", "veniam", "quis",
        "nostrud", "exercitation", "ullamco", "laboris", "nisi", "aliquip", "ex", "ea", "commodo", "consequat", "duis",
        "aute", "irure", "in", "reprehenderit", "voluptate", "velit", "esse", "cillum", "fugiat", "nulla", "pariatur",
        "excepteur", "sint", "occaecat", "cupidatat", "non", "proident", "sunt", "culpa", "qui", "officia", "deserunt",
        "mollit", "anim", "id", "est", "laborum",
    ];

    /// <summary>Values frequent enough to reuse, in code order (most frequent first).</summary>
    public required string[] FrequentValues { get; init; }
    /// <summary>Quantiles (0%, 5%, ..., 100%) of the lengths of the values that are not reused.</summary>
    public required double[] OtherLengthQuantiles { get; init; }

    /// <summary>
    /// Learned word and character statistics for writing the "other" values (null in models saved before it existed:
    /// those write lorem-ipsum text of the learned lengths).
    /// </summary>
    public TextModel? Model { get; init; }

    public int OtherCode => FrequentValues.Length;
    public override int Cardinality => FrequentValues.Length + 1;

    internal override string? Problem() =>
        base.Problem() ?? (FrequentValues is null || FrequentValues.Any(v => v is null) ? "its frequent values are missing"
            : OtherLengthQuantiles is null || OtherLengthQuantiles.Any(q => !(q is >= 0 and <= 1_000_000))
              || OtherLengthQuantiles.Zip(OtherLengthQuantiles.Skip(1)).Any(p => p.First > p.Second)
            ? "its length quantiles are not increasing lengths"
            : Unstorable(FrequentValues, Storage.Type == ColumnType.Categorical ? FrequentValues : null))
        ?? Model?.Problem();

    internal static TextEncoderState Fit(Column column, EncodingOptions options)
    {
        var (values, counts) = CategoricalEncoderState.CountValues(column);
        var frequent = Enumerable.Range(0, values.Count)
            .Where(i => counts[i] >= options.TextMinimumCount)
            .OrderByDescending(i => counts[i]).ThenBy(i => values[i], StringComparer.Ordinal)
            .Select(i => values[i]).ToArray();
        var frequentSet = frequent.ToHashSet(StringComparer.Ordinal);
        var rareLengths = new List<double>();
        var allLengths = new List<double>();
        for (int i = 0; i < values.Count; i++)
        {
            for (int k = 0; k < counts[i]; k++) allLengths.Add(values[i].Length);
            if (!frequentSet.Contains(values[i])) for (int k = 0; k < counts[i]; k++) rareLengths.Add(values[i].Length);
        }
        var lengths = rareLengths.Count > 0 ? rareLengths : allLengths;
        return new TextEncoderState
        {
            Name = column.Name, Storage = StorageSpec.Of(column),
            FrequentValues = frequent, OtherLengthQuantiles = Quantiles(lengths, LengthQuantileCount),
            Model = TextModel.Learn(values, counts, options.TextMinimumCount, StableSeed(column.Name)),
        };
    }

    /// <summary>The echo guard's key: from the column name only, so fitting is reproducible.</summary>
    internal static ulong StableSeed(string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in name) { h ^= c; h *= 1099511628211UL; }
        return h;
    }

    private static double[] Quantiles(List<double> values, int count)
    {
        if (values.Count == 0) return [1];
        values.Sort();
        var q = new double[count];
        for (int i = 0; i < count; i++)
        {
            double pos = i * (values.Count - 1) / (double)(count - 1);
            int lo = (int)Math.Floor(pos);
            int hi = Math.Min(lo + 1, values.Count - 1);
            q[i] = values[lo] + (values[hi] - values[lo]) * (pos - lo);
        }
        return q;
    }

    internal override EncodedColumn Encode(Column column)
    {
        if (column.Type != Storage.Type) throw EncodingErrors.StorageChanged(Name, Storage.Type, column.Type);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < FrequentValues.Length; i++) index[FrequentValues[i]] = i;
        var codes = ColumnStorage.MapValues(column, (s, _) => index.TryGetValue(s, out int k) ? k : OtherCode);
        return EncodedColumn.Discrete(Name, codes, Cardinality, column.Missing);
    }

    internal override Column Decode(EncodedColumn? encoded, int rowCount, EncodingOptions options, ulong seed)
    {
        var codes = encoded!.Codes!;
        var random = new SeededRandom(seed);
        var values = new string?[rowCount];
        for (int i = 0; i < rowCount; i++)
        {
            if (encoded.Missing[i]) continue;
            int code = codes[i];
            if (code < FrequentValues.Length) values[i] = FrequentValues[code];
            // Generated text only fits string storage; elsewhere "other" becomes missing rather than an invalid value.
            else if (Storage.HoldsAnyString) values[i] = Model is { } model ? model.Generate(random) : LoremText(random);
        }
        return ColumnStorage.FromStrings(Name, values, Storage, Storage.Type == ColumnType.Categorical ? FrequentValues : null);
    }

    /// <summary>Lorem-ipsum words up to a length drawn from the learned length quantiles (at least one word).</summary>
    internal string LoremText(SeededRandom random)
    {
        var q = OtherLengthQuantiles;
        double pos = random.NextDouble() * (q.Length - 1);
        int lo = (int)pos;
        int hi = Math.Min(lo + 1, q.Length - 1);
        int target = Math.Max(1, (int)Math.Round(q[lo] + (q[hi] - q[lo]) * (pos - lo)));
        var sb = new StringBuilder();
        while (sb.Length < target)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(LoremWords[random.NextInt(LoremWords.Length)]);
        }
        if (sb.Length > target && target > 1) sb.Length = target; // cut the last word so the length matches
        if (sb[^1] == ' ') sb.Length--;
        sb[0] = char.ToUpperInvariant(sb[0]);
        return sb.ToString();
    }
}
