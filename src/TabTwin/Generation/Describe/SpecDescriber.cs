using TabTwin.Encoding;
using TabTwin.Generation.Spec;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Generation.Describe;

/// <summary>A described spec and the remarks on what could not be described as it was (shown by the CLI).</summary>
public sealed record DescribeResult(GenerationSpec Spec, IReadOnlyList<string> Notes);

/// <summary>
/// Turns a real table into a <see cref="GenerationSpec"/> that describes it without containing it: fitted marginals
/// or coarse histograms for numbers, category weights without rare categories, booleans as a probability, datetime
/// ranges with seasonality, keys as their format, personal data as the matching fake generator, missing rates, the
/// strongest associations as conditional columns (<see cref="AssociationDescriber"/>) and the Spearman rank-correlation matrix. Every published figure summarises at least <see cref="DescribeOptions.MinimumCount"/>
/// rows and extremes are clipped, so the spec can be shared and generated from anywhere.
/// </summary>
public static class SpecDescriber
{
    public static GenerationSpec Describe(Table table, TableSchema schema, DescribeOptions? options = null) =>
        DescribeWithNotes(table, schema, options).Spec;

    public static DescribeResult DescribeWithNotes(Table table, TableSchema schema, DescribeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new DescribeOptions();
        options.Validate();
        schema.Validate(table);
        var notes = new List<string>();
        var columns = new List<ColumnSpec>();
        var categorical = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            var kind = schema.Find(column.Name)?.Kind ?? ColumnKind.Categorical;
            var spec = DescribeColumn(column, schema.Find(column.Name), kind, options, notes);
            if (spec is null) continue;
            columns.Add(spec);
            if (kind == ColumnKind.Categorical) categorical.Add(column.Name);
        }
        var caseGroups = AssociationDescriber.Describe(table, columns, categorical, options, notes);
        DescribeExactSums(table, schema, columns, notes);
        var described = new TableSpec(options.TableName, options.Rows ?? table.RowCount, columns)
        {
            Correlations = options.Correlations ? Correlations(table, columns, caseGroups, options) : null,
        };
        return new DescribeResult(new GenerationSpec { Tables = [described], Seed = options.Seed, Locale = schema.Locale }, notes);
    }

    /// <summary>
    /// A column the data holds as an exact copy or sum of others (<see cref="StructureDetector"/>) is written as that
    /// formula, so generated rows keep it; other detected structures are named in a note. Skipped when another
    /// column's description depends on it (a formula is computed after the columns it reads).
    /// </summary>
    private static void DescribeExactSums(Table table, TableSchema schema, List<ColumnSpec> columns, List<string> notes)
    {
        foreach (var found in StructureDetector.DetectUnlessDeclared(table, schema))
        {
            if (found.Rule is not FormulaConstraint formula)
            {
                notes.Add($"{string.Join(", ", found.Rule.Columns)}: {found.Reason} (not written into the spec)");
                continue;
            }
            int at = columns.FindIndex(c => c.Name == formula.Column);
            bool readByOthers = columns.Any(c => c.Distribution is Distribution.Conditional d && d.DependsOn == formula.Column);
            if (at < 0 || readByOthers || !formula.Expression.Columns.All(n => columns.Any(c => c.Name == n))) continue;
            columns[at] = columns[at] with { Distribution = new Distribution.Formula(formula.Expression.ToString()) };
            notes.Add($"{formula.Column}: {found.Reason}; written as the formula {formula.Expression}");
        }
    }

    private static ColumnSpec? DescribeColumn(Column column, ColumnSchema? schema, ColumnKind kind, DescribeOptions options, List<string> notes)
    {
        double missing = column.Length == 0 ? 0 : Math.Round((double)column.MissingCount / column.Length, 4);
        switch (kind)
        {
            case ColumnKind.Numerical when column is NumericColumn n:
                return NumericDescriber.Describe(n, options, notes);
            case ColumnKind.Datetime when column is DateTimeColumn d:
                return DateTimeDescriber.Describe(d, options, notes);
            case ColumnKind.Boolean when column is BooleanColumn b && b.TrueToken == "true" && b.FalseToken == "false":
                int present = b.Length - b.MissingCount, trues = 0;
                for (int r = 0; r < b.Length; r++) if (!b.Missing[r] && b[r]) trues++;
                return new ColumnSpec(column.Name, new Distribution.Boolean(present == 0 ? 0.5 : Math.Round((double)trues / present, 4))) { Missing = missing };
            case ColumnKind.Id:
                return new ColumnSpec(column.Name, IdDistribution(column)) { Missing = missing };
            case ColumnKind.Pii when schema?.Pii is { } pii:
                var fake = Enum.GetValues<FakeKind>().Where(k => FakeKinds.ToPiiType(k) == pii).Select(k => (FakeKind?)k).FirstOrDefault();
                if (fake is { } fk) return new ColumnSpec(column.Name, new Distribution.Fake(fk)) { Missing = missing };
                notes.Add($"{column.Name}: personal data of type {pii} has no fake generator in specs; left out.");
                return null;
            case ColumnKind.Text:
                var text = Categorical(column, options, pooled: false);
                if (text is null) notes.Add($"{column.Name}: free text with no value shared by {options.MinimumCount}+ rows; left out.");
                else notes.Add($"{column.Name}: free text described by its frequent values only.");
                return text is null ? null : new ColumnSpec(column.Name, text) { Missing = missing };
            default:
                var categorical = Categorical(column, options, pooled: true);
                if (categorical is null)
                {
                    notes.Add($"{column.Name}: no category is shared by {options.MinimumCount}+ rows; written as always missing.");
                    return new ColumnSpec(column.Name, new Distribution.Categorical([options.OtherLabel], [1])) { Missing = 1 };
                }
                return new ColumnSpec(column.Name, categorical) { Missing = missing };
        }
    }

    /// <summary>Category weights (counts), most frequent first; rare categories pooled or dropped; null when none is publishable.</summary>
    private static Distribution.Categorical? Categorical(Column column, DescribeOptions options, bool pooled)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int present = 0;
        for (int r = 0; r < column.Length; r++)
        {
            if (column.FormatValue(r) is not { } v) continue;
            counts[v] = counts.GetValueOrDefault(v) + 1;
            present++;
        }
        double threshold = Math.Max(options.MinimumCount, options.MinimumShare * present);
        var kept = counts.Where(kv => kv.Value >= threshold).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        int rare = present - kept.Sum(kv => kv.Value);
        if (pooled && options.RareCategories == RareCategoryHandling.Other && rare >= options.MinimumCount)
        {
            int existing = kept.FindIndex(kv => kv.Key == options.OtherLabel);
            if (existing >= 0) kept[existing] = new(options.OtherLabel, kept[existing].Value + rare);
            else kept.Add(new(options.OtherLabel, rare));
        }
        return kept.Count == 0 ? null : new Distribution.Categorical(kept.Select(kv => kv.Key).ToList(), kept.Select(kv => (double)kv.Value).ToList());
    }

    /// <summary>The key's learned format (literal parts, character classes, sequence start/step; never a whole key).</summary>
    private static Distribution IdDistribution(Column column)
    {
        var pattern = IdFormat.Learn(column).Pattern;
        int colon = pattern.IndexOf(':');
        string kind = pattern[..colon], template = pattern[(colon + 1)..];
        var sequence = System.Text.RegularExpressions.Regex.Match(template, @"^\{seq:0:(-?\d+):(-?\d+)\}$");
        if (kind == "num" && sequence.Success)
            return new Distribution.Sequence(long.Parse(sequence.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(sequence.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        return new Distribution.Id(template);
    }

    /// <summary>
    /// Spearman ρ between every pair of numeric, datetime and boolean columns the spec correlates (those drawn through a
    /// uniform). A number described per case (see <see cref="AssociationDescriber"/>) enters with its percentile within
    /// its case: that is the uniform generation feeds the case's marginal, so matrix and cases describe the same draw.
    /// </summary>
    private static CorrelationSpec? Correlations(Table table, List<ColumnSpec> columns, Dictionary<string, int[]> caseGroups, DescribeOptions options)
    {
        double[]? Values(string name) => caseGroups.TryGetValue(name, out var groups) && table[name] is NumericColumn n
            ? AssociationMeasures.PercentileWithinGroup(n.Values.ToArray(), n.Missing, groups)
            : RankCorrelation.AsNumbers(table[name]);
        var eligible = columns
            .Where(c => c.Missing < 1 && c.Distribution.UsesUniform && c.Distribution is not (Distribution.Constant or Distribution.Categorical))
            .Select(c => (c.Name, Values: Values(c.Name), table[c.Name].Missing))
            .Where(c => c.Values is not null)
            .ToList();
        if (eligible.Count < 2) return null;
        var matrix = new double[eligible.Count][];
        for (int i = 0; i < eligible.Count; i++)
        {
            matrix[i] = new double[eligible.Count];
            matrix[i][i] = 1;
            for (int j = 0; j < i; j++)
                matrix[i][j] = Math.Round(RankCorrelation.Spearman(eligible[i].Values!, eligible[i].Missing, eligible[j].Values!, eligible[j].Missing, options.MinimumCount), 3);
        }
        for (int i = 0; i < eligible.Count; i++)
            for (int j = i + 1; j < eligible.Count; j++) matrix[i][j] = matrix[j][i];
        return new CorrelationSpec
        {
            Method = CorrelationMethod.Spearman,
            Columns = eligible.Select(e => e.Name).ToList(),
            Matrix = matrix.Select(r => (IReadOnlyList<double>)r).ToList(),
        };
    }
}
