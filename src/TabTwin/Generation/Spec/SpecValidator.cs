using System.Globalization;
using TabTwin.Schema;

namespace TabTwin.Generation.Spec;

/// <summary>
/// Checks what the reader cannot see column by column: references between columns (conditional <c>dependsOn</c>,
/// <c>localeColumn</c>, formula inputs), dependency cycles, locales, ID formats, parameters of specs built in C#,
/// and correlation targets (repaired to the nearest valid matrix with a warning, or rejected when <c>repair: false</c>).
/// Errors are <see cref="SpecException"/>s naming the table, column, field and line.
/// </summary>
public static class SpecValidator
{
    /// <summary>Validates the whole spec; returns the warnings (e.g. a repaired correlation matrix).</summary>
    public static IReadOnlyList<SpecWarning> Validate(GenerationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var warnings = new List<SpecWarning>();
        var at = new SpecLocation(spec.SourceFile, null, null, null, null);
        if (spec.Tables.Count == 0) throw at.At("tables", null).Error("spec.missing-field", "the spec needs at least one table.");
        if (spec.Locale is not null) CheckLocale(spec.Locale, at.At("locale", null));
        foreach (var table in spec.Tables) Analyze(spec, table, warnings);
        return warnings;
    }

    /// <summary>Validates one table and works out the order to generate its columns in and its copula.</summary>
    internal static TableAnalysis Analyze(GenerationSpec spec, TableSpec table, List<SpecWarning> warnings)
    {
        var at = new SpecLocation(spec.SourceFile, table.Name, null, null, table.Line);
        if (string.IsNullOrWhiteSpace(table.Name)) throw at.Error("spec.missing-field", "every table needs a name.");
        if (table.Rows is < 0) throw at.At("rows", table.Line).Error("spec.bad-parameter", "must not be negative.");
        if (table.Locale is not null) CheckLocale(table.Locale, at.At("locale", table.Line));
        if (table.Columns.Count == 0) throw at.At("columns", table.Line).Error("spec.missing-field", "the table needs at least one column.");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < table.Columns.Count; i++)
        {
            var c = table.Columns[i];
            var cat = at.InColumn(c.Name, c.Line);
            if (string.IsNullOrWhiteSpace(c.Name)) throw at.Error("spec.missing-field", $"column {i + 1} has no name.");
            if (!index.TryAdd(c.Name, i)) throw cat.Error("spec.duplicate-column", "the column name appears twice.");
            CheckColumn(c, cat);
        }

        var inputs = new List<string>[table.Columns.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            var c = table.Columns[i];
            inputs[i] = [];
            foreach (var (name, field) in References(c, at.InColumn(c.Name, c.Line)))
            {
                var fat = at.InColumn(c.Name, c.Line).At(field, c.LineOf(field.Split('.')[0]));
                if (name == c.Name) throw fat.Error("spec.cycle", $"the column depends on itself.");
                if (!index.ContainsKey(name))
                    throw fat.Error("spec.unknown-column", $"refers to column '{name}', which the table does not have{SpecValues.Suggest(name, index.Keys)}.");
                inputs[i].Add(name);
            }
        }
        var order = TopologicalOrder(table, inputs, index, at);
        var types = FormulaSupport.CheckTypes(table, order, at);
        var copula = table.Correlations is null ? null
            : CorrelationTarget.Resolve(table.Correlations, table, index, at.At("correlations", table.Correlations.Line ?? table.Line), warnings);
        return new TableAnalysis(order, inputs, copula, types);
    }

    /// <summary>Columns a column reads (name, field that names it).</summary>
    internal static IEnumerable<(string Name, string Field)> References(ColumnSpec column, SpecLocation at = default)
    {
        switch (column.Distribution)
        {
            case Distribution.Conditional c: yield return (c.DependsOn, "dependsOn"); break;
            case Distribution.Fake { LocaleColumn: { } lc }: yield return (lc, "localeColumn"); break;
            case Distribution.Formula f:
                foreach (var name in FormulaSupport.Parse(f.Expression, column, at).Columns) yield return (name, "formula");
                break;
        }
    }

    private static int[] TopologicalOrder(TableSpec table, List<string>[] inputs, Dictionary<string, int> index, SpecLocation at)
    {
        int n = table.Columns.Count;
        var state = new int[n]; // 0 = new, 1 = on the stack, 2 = done
        var order = new List<int>(n);
        var stack = new List<int>();
        void Visit(int i)
        {
            if (state[i] == 2) return;
            if (state[i] == 1)
            {
                var cycle = stack.Skip(stack.IndexOf(i)).Append(i).Select(k => table.Columns[k].Name).ToList();
                var first = table.Columns[i];
                throw at.InColumn(first.Name, first.Line).Error("spec.cycle",
                    $"the columns depend on each other in a cycle: {string.Join(" → ", cycle)}.", hint: "Break the cycle: one of these columns must not depend on the others.");
            }
            state[i] = 1;
            stack.Add(i);
            foreach (var name in inputs[i]) Visit(index[name]);
            stack.RemoveAt(stack.Count - 1);
            state[i] = 2;
            order.Add(i);
        }
        for (int i = 0; i < n; i++) Visit(i);
        return order.ToArray();
    }

    private static void CheckLocale(string locale, SpecLocation at)
    {
        if (!PiiLocales.IsKnown(locale))
            throw at.Error("spec.locale", $"unknown locale '{locale}'{SpecValues.Suggest(locale, PiiLocales.Known)}; use a Bogus locale such as en, de, fr, es, en_GB.");
    }

    private static void CheckColumn(ColumnSpec c, SpecLocation at)
    {
        if (!(c.Missing is >= 0 and <= 1)) throw at.At("missing", c.LineOf("missing")).Error("spec.bad-parameter", $"must be a rate between 0 and 1, got {c.Missing}.");
        if (c.Round is < 0 or > 15) throw at.At("round", c.LineOf("round")).Error("spec.bad-parameter", $"must be 0 to 15 decimal places, got {c.Round}.");
        if (c.Min is { } lo && c.Max is { } hi && !(hi > lo)) throw at.At("max", c.LineOf("max")).Error("spec.bad-parameter", $"must be greater than min ({lo}), got {hi}.");
        if (c.Format is { } f && c.Distribution is Distribution.DateTimeRange)
        {
            try { _ = new DateTime(2024, 1, 2, 3, 4, 5).ToString(f, CultureInfo.InvariantCulture); }
            catch (FormatException) { throw at.At("format", c.LineOf("format")).Error("spec.bad-parameter", $"'{f}' is not a valid .NET date/time format."); }
        }
        CheckDistribution(c.Distribution, c, at);
    }

    /// <summary>Parameter checks for distributions built in C# (files are checked as they are read, with the same rules).</summary>
    private static void CheckDistribution(Distribution d, ColumnSpec c, SpecLocation at)
    {
        SpecException Bad(string field, string what) => at.At(field, c.LineOf(field)).Error("spec.bad-parameter", what);
        switch (d)
        {
            case Distribution.Normal n when !(n.Sd > 0): throw Bad("sd", "must be greater than 0.");
            case Distribution.LogNormal l when !(l.Sigma > 0): throw Bad("sigma", "must be greater than 0.");
            case Distribution.Uniform u when !(u.Max > u.Min): throw Bad("max", "must be greater than min.");
            case Distribution.Exponential e when !(e.Rate > 0): throw Bad("rate", "must be greater than 0.");
            case Distribution.Gamma g when !(g.Shape > 0 && g.Scale > 0): throw Bad("shape", "shape and scale must be greater than 0.");
            case Distribution.Beta b when !(b.Alpha > 0 && b.BetaParameter > 0 && b.High > b.Low): throw Bad("alpha", "alpha and beta must be greater than 0 and high > low.");
            case Distribution.Poisson p when !(p.Lambda > 0 && p.Lambda < 1e7): throw Bad("lambda", "must be greater than 0 (and below 10 million).");
            case Distribution.Binomial b when !(b.N >= 1 && b.P is >= 0 and <= 1 && b.N <= 10_000_000): throw Bad("n", "n must be 1 to 10 million and p a probability.");
            case Distribution.Zipf z when !(z.S > 0 && z.N >= 1 && z.N <= 10_000_000): throw Bad("n", "s must be > 0 and n from 1 to 10 million.");
            case Distribution.Boolean b when !(b.P is >= 0 and <= 1): throw Bad("p", "must be a probability between 0 and 1.");
            case Distribution.Categorical k:
                if (k.Values.Count == 0 || k.Values.Count != k.Weights.Count) throw Bad("values", "needs one weight per label and at least one label.");
                if (k.Weights.Any(w => !(w >= 0)) || !(k.Weights.Sum() > 0)) throw Bad("weights", "weights must be ≥ 0 with a positive sum.");
                break;
            case Distribution.Histogram h:
                if (h.Edges.Count < 2 || h.Weights.Count != h.Edges.Count - 1) throw Bad("bins", "needs k+1 increasing edges for k weights.");
                for (int i = 1; i < h.Edges.Count; i++) if (!(h.Edges[i] > h.Edges[i - 1])) throw Bad("bins", "bin edges must increase strictly.");
                if (h.Weights.Any(w => !(w >= 0)) || !(h.Weights.Sum() > 0)) throw Bad("weights", "weights must be ≥ 0 with a positive sum.");
                break;
            case Distribution.Empirical e when e.Values.Count == 0 || e.Values.Any(v => !double.IsFinite(v)): throw Bad("values", "needs at least one finite value.");
            case Distribution.DateTimeRange t when !(t.To > t.From): throw Bad("to", "must be after 'from'.");
            case Distribution.DateTimeRange t when WeightsOf(t).Any(w => w is { } ws && (ws.Any(x => !(x >= 0)) || !(ws.Sum() > 0))):
                throw Bad("seasonality", "seasonality weights must be ≥ 0 with a positive sum.");
            case Distribution.Sequence s when s.Step == 0: throw Bad("step", "must not be 0.");
            case Distribution.Id id:
                try { IdTemplate.Parse(id.Format); }
                catch (SchemaException e) { throw at.At("format", c.LineOf("format")).Error("spec.bad-parameter", e.Message, e.Hint); }
                break;
            case Distribution.Fake f when f.Locale is not null: CheckLocale(f.Locale, at.At("locale", c.LineOf("locale"))); break;
            case Distribution.Conditional k:
                if (k.Cases.Count == 0) throw Bad("cases", "needs at least one case.");
                foreach (var (key, caseDistribution) in k.Cases)
                {
                    if (caseDistribution is Distribution.Conditional or Distribution.Formula) throw Bad($"cases.{key}", "a case must be a plain distribution.");
                    CheckDistribution(caseDistribution, c, at.At($"cases.{key}", c.LineOf("cases")));
                }
                var kinds = k.Cases.Select(x => x.Value).Append(k.Default).OfType<Distribution>().Select(ValueKindOf).Distinct().ToList();
                if (kinds.Count > 1) throw Bad("cases", $"all cases must make the same kind of value, got {string.Join(" and ", kinds)}.");
                break;
        }
    }

    private static IEnumerable<IReadOnlyList<double>?> WeightsOf(Distribution.DateTimeRange t) => [t.HourWeights, t.WeekdayWeights, t.MonthWeights];

    /// <summary>What kind of value a distribution makes: number, label, boolean, datetime or text.</summary>
    internal static string ValueKindOf(Distribution d) => d switch
    {
        Distribution.Categorical => "label",
        Distribution.Boolean => "boolean",
        Distribution.DateTimeRange => "datetime",
        Distribution.Id or Distribution.Uuid or Distribution.Fake => "text",
        Distribution.Conditional c => ValueKindOf(c.Cases[0].Value),
        _ => "number",
    };
}

/// <summary>The generation order of a table's columns (inputs first), each column's inputs, and its copula (or null).</summary>
internal sealed record TableAnalysis(int[] Order, IReadOnlyList<string>[] Inputs, CorrelationTarget? Copula, Expressions.ExprType[] Types);
