using TabTwin.Generation.Spec;
using TabTwin.Tables;

namespace TabTwin.Generation;

/// <summary>
/// A column whose distribution depends on another column's value (<c>income</c> by <c>segment</c>): each row uses the
/// case matching the parent's value as written (or the default; no match and no default leaves the row missing).
/// All cases draw from the row's one uniform, so a conditional column can still take part in correlations.
/// </summary>
internal sealed class ConditionalPlan : ColumnPlan
{
    private readonly Distribution.Conditional _conditional;
    private readonly Dictionary<string, UniformPlan> _cases = new(StringComparer.Ordinal);
    private readonly UniformPlan? _default;
    private readonly string[] _labels = [];
    private readonly Dictionary<UniformPlan, int[]> _labelMaps = [];

    public ConditionalPlan(ColumnSpec spec, Distribution.Conditional conditional) : base(spec)
    {
        _conditional = conditional;
        foreach (var (key, d) in conditional.Cases) _cases[key] = UniformPlan.Create(spec, d);
        if (conditional.Default is { } fallback) _default = UniformPlan.Create(spec, fallback);
        var all = _cases.Values.Append(_default).OfType<UniformPlan>().ToList();
        if (all.OfType<CategoricalPlan>().Any())
        {
            // One label list for the column: the cases' labels in order of first appearance.
            var labels = new List<string>();
            foreach (var plan in all.OfType<CategoricalPlan>())
            {
                var map = new int[plan.Sampler.Labels.Length];
                for (int k = 0; k < map.Length; k++)
                {
                    int at = labels.IndexOf(plan.Sampler.Labels[k]);
                    if (at < 0) { at = labels.Count; labels.Add(plan.Sampler.Labels[k]); }
                    map[k] = at;
                }
                _labelMaps[plan] = map;
            }
            _labels = labels.ToArray();
        }
        Kind = all[0];
    }

    public string DependsOn => _conditional.DependsOn;

    /// <summary>A representative case (all cases make the same kind of value).</summary>
    private UniformPlan Kind { get; }

    public Column Build(Column parent, ReadOnlySpan<double> u, Bitmask missing)
    {
        int n = u.Length;
        var plans = CasePerRow(parent);
        var extraMissing = new Bitmask.Builder(n);
        bool anyExtra = false;
        for (int i = 0; i < n; i++)
            if (plans[i] is null || missing[i]) { extraMissing.Set(i); anyExtra |= plans[i] is null; }
        var mask = anyExtra ? extraMissing.Build() : missing;
        switch (Kind)
        {
            case NumericPlan:
            {
                var values = new double[n];
                bool integer = true, discrete = true;
                foreach (var p in _cases.Values.Append(_default).OfType<NumericPlan>()) { integer &= p.IsInteger; discrete &= p.Marginal.IsDiscrete; }
                for (int i = 0; i < n; i++) if (plans[i] is NumericPlan p) values[i] = p.Marginal.Quantile(u[i]);
                // Continuous cases are rounded to the column's places (round: 0 makes integers); discrete ones already are.
                if (Spec.Round is { } digits && !discrete)
                    for (int i = 0; i < n; i++) values[i] = Math.Round(values[i], digits, MidpointRounding.ToEven);
                return new NumericColumn(Name, values, mask, integer, integer ? 0 : Spec.Round ?? 0);
            }
            case CategoricalPlan:
            {
                var codes = new int[n];
                for (int i = 0; i < n; i++)
                    codes[i] = mask[i] || plans[i] is not CategoricalPlan p ? -1 : _labelMaps[p][p.Sampler.Code(u[i])];
                return new CategoricalColumn(Name, codes, _labels);
            }
            case BooleanPlan:
            {
                var values = new bool[n];
                for (int i = 0; i < n; i++) if (plans[i] is BooleanPlan p) values[i] = p.Value(u[i]);
                return new BooleanColumn(Name, values, mask);
            }
            default:
            {
                var ticks = new long[n];
                for (int i = 0; i < n; i++) if (plans[i] is DateTimePlan p) ticks[i] = p.Sampler.Ticks(u[i]);
                return new DateTimeColumn(Name, ticks, mask, ((DateTimePlan)Kind).Format);
            }
        }
    }

    /// <summary>The case of every row, looked up once per category for categorical parents.</summary>
    private UniformPlan?[] CasePerRow(Column parent)
    {
        var plans = new UniformPlan?[parent.Length];
        if (parent is CategoricalColumn cat)
        {
            var byCode = cat.Categories.Select(Lookup).ToArray();
            var codes = cat.Codes;
            for (int i = 0; i < plans.Length; i++) plans[i] = codes[i] < 0 ? _default : byCode[codes[i]];
            return plans;
        }
        for (int i = 0; i < plans.Length; i++) plans[i] = parent.FormatValue(i) is { } key ? Lookup(key) : _default;
        return plans;
    }

    private UniformPlan? Lookup(string key) => _cases.TryGetValue(key, out var plan) ? plan : _default;
}

/// <summary>Adds missing rows to a finished column (e.g. a formula's result under the column's missing rate).</summary>
internal static class MissingValues
{
    public static Column Add(Column column, Bitmask extra)
    {
        var b = new Bitmask.Builder(column.Length);
        for (int i = 0; i < column.Length; i++) if (extra[i] || column.Missing[i]) b.Set(i);
        var mask = b.Build();
        return column switch
        {
            NumericColumn n => new NumericColumn(n.Name, n.Values.ToArray(), mask, n.IsInteger, n.DecimalPlaces),
            BooleanColumn bo => new BooleanColumn(bo.Name, bo.Values.ToArray(), mask, bo.TrueToken, bo.FalseToken),
            DateTimeColumn d => new DateTimeColumn(d.Name, d.Ticks.ToArray(), mask, d.Format, d.HasOffset ? d.OffsetMinutes.ToArray() : null),
            CategoricalColumn c => new CategoricalColumn(c.Name, c.Codes.ToArray().Select((code, i) => mask[i] ? -1 : code).ToArray(), c.Categories.ToArray()),
            TextColumn t => new TextColumn(t.Name, t.Values.ToArray().Select((v, i) => mask[i] ? null : v).ToArray()),
            _ => throw new ArgumentException($"Unknown column class {column.GetType().Name}."),
        };
    }
}
