using System.Numerics;
using TabTwin.Expressions;
using TabTwin.Generation.Sampling;
using TabTwin.Generation.Spec;
using TabTwin.Tables;

namespace TabTwin.Generation;

/// <summary>
/// A column ready to generate: its spec turned into samplers once per run (tables of CDFs, parsed formats, compiled
/// formulas), then used by every chunk on any thread (immutable). Columns drawn from a uniform get theirs from the
/// chunk (independent, or correlated through the copula, with normal scores when the copula has them).
/// </summary>
internal abstract class ColumnPlan(ColumnSpec spec)
{
    public ColumnSpec Spec { get; } = spec;
    public string Name => Spec.Name;

    public static ColumnPlan Create(ColumnSpec column, TableSpec table, GenerationSpec spec, ulong columnSeed, long totalRows)
    {
        try
        {
            return column.Distribution switch
            {
                Distribution.Sequence s => new SequencePlan(column, s),
                Distribution.Id id => new IdPlan(column, new IdSampler(id, columnSeed, totalRows, column.Name)),
                Distribution.Uuid u => new UuidPlan(column, u.Upper, columnSeed),
                Distribution.Fake f => new FakePlan(column, new FakeColumnSampler(f, table.Locale ?? spec.Locale ?? "en")),
                Distribution.Formula f => new FormulaPlan(column, Expression.Parse(f.Expression)),
                Distribution.Conditional c => new ConditionalPlan(column, c),
                var d => UniformPlan.Create(column, d),
            };
        }
        catch (SpecException e) when (e.Column is null)
        {
            throw new SpecException(e.Code, $"table '{table.Name}', column '{column.Name}'{(e.Field is null ? "" : $", field '{e.Field}'")}: {e.Message}",
                table.Name, column.Name, e.Field, column.LineOf(e.Field ?? ""), spec.SourceFile, e.Hint, e);
        }
    }
}

/// <summary>A column whose values come from one uniform per row through an inverse CDF.</summary>
internal abstract class UniformPlan(ColumnSpec spec) : ColumnPlan(spec)
{
    /// <param name="u">Uniforms in (0, 1), one per row.</param>
    /// <param name="z">The same draws as standard normal scores (u = Φ(z)) when the copula made them, else empty.</param>
    /// <param name="missing">Rows that stay missing (set bits); their values are not read.</param>
    /// <remarks><paramref name="u"/> is empty when <see cref="NeedsUniforms"/> said the scores suffice.</remarks>
    public abstract Column Build(ReadOnlySpan<double> u, ReadOnlySpan<double> z, Bitmask missing);

    /// <summary>Whether <see cref="Build"/> needs the uniforms, or (given copula scores) reads the scores alone.</summary>
    public virtual bool NeedsUniforms(bool hasScores) => true;

    public static UniformPlan Create(ColumnSpec column, Distribution d) => d switch
    {
        Distribution.Categorical c => new CategoricalPlan(column, new CategoricalSampler(c)),
        Distribution.Boolean b => new BooleanPlan(column, b.P),
        Distribution.DateTimeRange t => new DateTimePlan(column, new DateTimeSampler(t)),
        _ => new NumericPlan(column, NumericMarginal.Create(d, column.Min, column.Max)),
    };
}

internal sealed class NumericPlan(ColumnSpec spec, NumericMarginal marginal) : UniformPlan(spec)
{
    public NumericMarginal Marginal => marginal;
    public bool IsInteger => marginal.IsDiscrete || Spec.Round == 0;

    public override bool NeedsUniforms(bool hasScores) => !(hasScores && marginal.FillsFromNormal);

    public override Column Build(ReadOnlySpan<double> u, ReadOnlySpan<double> z, Bitmask missing)
    {
        var values = new double[z.IsEmpty ? u.Length : z.Length];
        if (z.IsEmpty || !marginal.TryFillFromNormal(z, values)) marginal.Fill(u, values);
        Round(values);
        return new NumericColumn(Name, values, missing, IsInteger, IsInteger ? 0 : Spec.Round ?? 0);
    }

    public void Round(Span<double> values)
    {
        if (Spec.Round is not { } digits || marginal.IsDiscrete) return;
        if (digits > 15) { for (int i = 0; i < values.Length; i++) values[i] = Math.Round(values[i], digits, MidpointRounding.ToEven); return; }
        RoundToEven(values, digits);
    }

    private static readonly double[] Powers = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// Math.Round(v, digits, ToEven) a SIMD vector at a time, by the same steps (below 1e16 in magnitude: scale by
    /// 10^digits, round half to even, divide back; larger values are already whole), so every value is bit-identical.
    /// </summary>
    internal static void RoundToEven(Span<double> values, int digits)
    {
        double power = Powers[digits];
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<double>(power);
            var limit = new Vector<double>(1e16);
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = new Vector<double>(values[i..]);
                var rounded = Vector.Round(v * scale) / scale;
                Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(v), limit), rounded, v).CopyTo(values[i..]);
            }
        }
        for (; i < values.Length; i++) values[i] = Math.Round(values[i], digits, MidpointRounding.ToEven);
    }
}

internal sealed class CategoricalPlan(ColumnSpec spec, CategoricalSampler sampler) : UniformPlan(spec)
{
    public CategoricalSampler Sampler => sampler;

    public override Column Build(ReadOnlySpan<double> u, ReadOnlySpan<double> z, Bitmask missing)
    {
        var codes = new int[u.Length];
        sampler.Codes(u, codes);
        if (missing.Any) for (int i = 0; i < codes.Length; i++) if (missing[i]) codes[i] = -1;
        return new CategoricalColumn(Name, codes, sampler.Labels);
    }
}

internal sealed class BooleanPlan(ColumnSpec spec, double p) : UniformPlan(spec)
{
    /// <summary>True for the top share p of uniforms, so "true" ranks above "false" in correlations.</summary>
    public bool Value(double u) => u > 1 - p;

    public override Column Build(ReadOnlySpan<double> u, ReadOnlySpan<double> z, Bitmask missing)
    {
        var values = new bool[u.Length];
        for (int i = 0; i < values.Length; i++) values[i] = Value(u[i]);
        return new BooleanColumn(Name, values, missing);
    }
}

internal sealed class DateTimePlan(ColumnSpec spec, DateTimeSampler sampler) : UniformPlan(spec)
{
    public DateTimeSampler Sampler => sampler;
    public string Format => Spec.Format ?? sampler.DefaultFormat;

    public override Column Build(ReadOnlySpan<double> u, ReadOnlySpan<double> z, Bitmask missing)
    {
        var ticks = new long[u.Length];
        for (int i = 0; i < ticks.Length; i++) ticks[i] = sampler.Ticks(u[i]);
        return new DateTimeColumn(Name, ticks, missing, Format);
    }
}

internal sealed class SequencePlan(ColumnSpec spec, Distribution.Sequence sequence) : ColumnPlan(spec)
{
    public Column Build(long firstRow, int count, Bitmask missing)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = sequence.Start + (double)sequence.Step * (firstRow + i);
        return new NumericColumn(Name, values, missing, isInteger: true, decimalPlaces: 0);
    }
}

internal sealed class IdPlan(ColumnSpec spec, IdSampler sampler) : ColumnPlan(spec)
{
    public Column Build(long firstRow, int count, Bitmask missing)
    {
        var values = new string?[count];
        for (int i = 0; i < count; i++) values[i] = missing[i] ? null : sampler.Key(firstRow + i);
        return new TextColumn(Name, values);
    }
}

internal sealed class UuidPlan(ColumnSpec spec, bool upper, ulong seed) : ColumnPlan(spec)
{
    public Column Build(long firstRow, int count, Bitmask missing)
    {
        var values = new string?[count];
        for (int i = 0; i < count; i++) values[i] = missing[i] ? null : UuidSampler.Key(seed, firstRow + i, upper);
        return new TextColumn(Name, values);
    }
}

internal sealed class FakePlan(ColumnSpec spec, FakeColumnSampler sampler) : ColumnPlan(spec)
{
    public FakeColumnSampler Sampler => sampler;
}

internal sealed class FormulaPlan(ColumnSpec spec, Expression expression) : ColumnPlan(spec)
{
    public Column Build(Table inputs, Bitmask missing)
    {
        Column? like = Spec.Round is { } r ? new NumericColumn(Name, [], null, isInteger: r == 0, decimalPlaces: r) : null;
        var column = expression.Bind(inputs).EvaluateColumn(inputs, Name, like);
        return missing.Any ? MissingValues.Add(column, missing) : column;
    }
}
