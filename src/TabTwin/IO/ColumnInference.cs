using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Turns raw text fields into typed columns, the same way for every source (CSV/TSV files and text
/// columns of databases), using invariant culture throughout.
/// <list type="bullet">
/// <item>Missing: the empty field and <see cref="ReadOptions.MissingTokens"/>; in a column that is not text, also
/// infinities, NaN and numbers beyond ±1e150 (in a text column they are words: <c>INF</c> is an airport code).</item>
/// <item>Numeric: optional '-', digits, optional fraction and exponent. Integer-ness and decimal places are
/// remembered. Values with leading zeros ("00123"), a leading '+' ("+44…") or integers beyond ±2^53 make the
/// column text/categorical so nothing is lost. Plain 0/1 stays numeric.</item>
/// <item>Boolean: one of the pairs true/false, yes/no, y/n, t/f (case-insensitive) for the whole column; the
/// spelling seen is kept as TrueToken/FalseToken.</item>
/// <item>Date/time: one .NET format per column from a candidate list (ISO dates and date-times with or without
/// fraction, 'Z' or per-row offsets, "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd", "MM/dd/yyyy" or "dd/MM/yyyy"
/// (the first that fits every value, so values above 12 decide), "dd.MM.yyyy", … compact "yyyyMMdd HH:mm:ss" / "yyMMdd HH:mm:ss", and "yyyyMMdd" / "yyMMdd" (also integers) only when the
/// column name hints a date).</item>
/// <item>Otherwise categorical when distinct values ≤ max(50, 5 % of present values) (and ≤ 65,536), else text.</item>
/// <item>A column with no present value becomes an all-missing text column.</item>
/// </list>
/// </summary>
public static class ColumnInference
{
    /// <summary>Infers the type of one column from its raw values (null, empty or a missing token = missing).</summary>
    public static Column Infer(string name, IReadOnlyList<string?> values, ReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        var missing = new MissingTokens((options ?? new ReadOptions()).MissingTokens);
        var dropped = new UnusableNumbers();
        var profile = new ColumnProfile(name);
        Observe(profile, values, missing);
        var plan = profile.Decide();
        var column = Build(name, values, plan, missing, dropped, out int failed);
        if (column is null)
            throw new InvalidOperationException($"Column '{name}' row {failed + 1}: '{values[failed]}' no longer parses as inferred.");
        dropped.Report(options?.Warning, null, name);
        return column;
    }

    /// <summary>Pass 1 over raw values (null = missing), as <see cref="Infer"/> does; chunked readers call it per block.</summary>
    internal static void Observe(ColumnProfile profile, IReadOnlyList<string?> values, MissingTokens missing)
    {
        foreach (var v in values)
        {
            var seen = v is null ? FieldClass.Missing : missing.Classify(v);
            if (seen == FieldClass.Present) profile.Observe(v);
            else if (seen != FieldClass.Missing) profile.ObserveNumberWord(v);
        }
    }

    /// <summary>
    /// Pass 2: the values as a column of <paramref name="plan"/>, unusable numbers counted into <paramref name="dropped"/>;
    /// null when a value does not fit the plan (<paramref name="failed"/> = its index), so the caller names where.
    /// </summary>
    internal static Column? Build(string name, IReadOnlyList<string?> values, ColumnPlan plan, MissingTokens missing, UnusableNumbers dropped, out int failed)
    {
        var builder = ColumnBuilder.For(plan, values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            var v = values[i];
            var kind = v is null ? FieldClass.Missing : missing.Classify(v);
            if (kind != FieldClass.Missing && plan.KeepsNumberWords) kind = FieldClass.Present;  // INF the airport, Nan the name
            dropped.Count(kind);
            if (kind != FieldClass.Present) builder.AppendMissing();
            else if (!builder.Append(v)) { failed = i; return null; }
        }
        failed = -1;
        return builder.Build(name);
    }

    /// <summary>Infers every column of a row-oriented block of raw text (each row as long as <paramref name="names"/>).</summary>
    public static Table InferTable(IReadOnlyList<string> names, IReadOnlyList<string?[]> rows, ReadOptions? options = null)
    {
        var columns = new Column[names.Count];
        for (int c = 0; c < names.Count; c++)
        {
            var values = new string?[rows.Count];
            for (int r = 0; r < rows.Count; r++) values[r] = rows[r][c];
            columns[c] = Infer(names[c], values, options);
        }
        return new Table(columns);
    }
}
