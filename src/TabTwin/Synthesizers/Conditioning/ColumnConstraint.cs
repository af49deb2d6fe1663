using System.Globalization;
using TabTwin.Encoding;
using TabTwin.Schema;

namespace TabTwin.Synthesizers.Conditioning;

/// <summary>
/// The conditions on one modelled column, translated to the encoded form synthesizers sample in: the allowed codes of
/// a discrete column (index Cardinality = missing), or the allowed encoded values of a continuous one (closed
/// intervals chosen so that every value inside decodes to a value satisfying the conditions, and every value outside
/// does not) plus whether missing is allowed.
/// </summary>
internal sealed class ColumnConstraint
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    /// <summary>The user's conditions on this column, for messages.</summary>
    public required string Text { get; init; }
    public bool[]? AllowedCodes { get; init; }
    public Interval[] Intervals { get; init; } = [];
    public bool AllowMissing { get; init; }

    public bool IsDiscrete => AllowedCodes is not null;

    public bool AllowsValue(double encoded)
    {
        foreach (var i in Intervals) if (i.Contains(encoded)) return true;
        return false;
    }

    /// <summary>A condition the model can never satisfy (names the column and the conditions).</summary>
    public TabTwinException Never(string synthesizer, string why) => new("condition.impossible",
        $"Condition '{Text}': the {synthesizer} model never emits such a value for column '{Name}' ({why}).", column: Name,
        hint: "Loosen the condition, or check it against the training data.");
}

/// <summary>Translates a <see cref="ConditionSet"/> into per-column <see cref="ColumnConstraint"/>s for a fitted <see cref="TableEncoding"/>.</summary>
internal static class ConstraintResolver
{
    /// <summary>One constraint per modelled column (null = unconditioned). Throws for conditions the encoding rules out.</summary>
    public static ColumnConstraint?[] Resolve(TableEncoding encoding, ConditionSet conditions)
    {
        conditions.Validate(encoding.Schema);
        var result = new ColumnConstraint?[encoding.Modelled.Length];
        foreach (var name in conditions.Columns)
        {
            int index = encoding.Modelled.IndexOf(encoding.Modelled.FirstOrDefault(s => s.Name == name)!);
            var cs = encoding.Schema[name];
            if (index < 0)
                throw new TabTwinException("condition.wrong-kind",
                    $"Condition '{conditions}': column '{name}' is {cs.KindLabel} and is generated, not learned, so it cannot be conditioned on.", column: name);
            var list = conditions.ForColumn(name);
            string text = ConditionChecks.Describe(list, cs);
            var state = encoding.Modelled[index];
            result[index] = state.EncodedKind == EncodedKind.Discrete
                ? new ColumnConstraint { Index = index, Name = name, Text = text, AllowedCodes = Codes(state, list, text), AllowMissing = AllowsMissing(list) }
                : Continuous(encoding, state, cs, list, index, text);
        }
        return result;
    }

    private static bool AllowsMissing(IReadOnlyList<ColumnCondition> list) => list.All(c => c switch
    {
        EqualsCondition e => e.Value is null,
        InCondition i => i.Values.Contains(null),
        _ => false,
    });

    private static bool[] Codes(ColumnEncoderState state, IReadOnlyList<ColumnCondition> list, string text)
    {
        int card = state.Cardinality;
        var allowed = new bool[card + 1];
        Array.Fill(allowed, true);
        // The protected bucket (rare categories / rare text) decodes to a random value: it can stand for "some
        // present value" but never for a particular one.
        int bucket = state switch
        {
            CategoricalEncoderState c when c.HasRareCode => c.Categories.Length,
            TextEncoderState t => t.OtherCode,
            _ => -1,
        };
        foreach (var c in list)
        {
            var mask = new bool[card + 1];
            switch (c)
            {
                case EqualsCondition e: Mark(mask, state, e.Value, text); break;
                case InCondition i: foreach (var v in i.Values) Mark(mask, state, v, text); break;
                case NotInCondition n:
                    Array.Fill(mask, true);
                    mask[card] = false;
                    foreach (var v in n.Values)
                        if (v is not null && CodeOf(state, v) is { } k) mask[k] = false;
                    // A rare category may decode to an excluded one; generated text never equals a listed value by design.
                    if (bucket >= 0 && n.Values.Any(v => v is not null) && state is CategoricalEncoderState) mask[bucket] = false;
                    break;
                default: throw new ArgumentException($"Condition '{c}' does not apply to a discrete column.");
            }
            for (int k = 0; k <= card; k++) allowed[k] &= mask[k];
        }
        if (!allowed.Any(a => a))
            throw new TabTwinException("condition.contradictory", $"Condition '{text}': no value of column '{state.Name}' satisfies these conditions together.",
                column: state.Name, hint: "Two conditions on the same column exclude each other; drop one.");
        return allowed;
    }

    private static void Mark(bool[] mask, ColumnEncoderState state, string? value, string text)
    {
        if (value is null) { mask[state.Cardinality] = true; return; }
        mask[CodeOf(state, value) ?? throw UnknownValue(state, value, text)] = true;
    }

    private static int? CodeOf(ColumnEncoderState state, string value)
    {
        switch (state)
        {
            case CategoricalEncoderState c:
                int k = Array.IndexOf(c.Categories, value);
                return k >= 0 ? k : null;
            case BooleanEncoderState b:
                return ConditionValues.TryParseBool(value, b.TrueToken, b.FalseToken, out bool v) ? (v ? 1 : 0) : null;
            case TextEncoderState t:
                int f = Array.IndexOf(t.FrequentValues, value);
                return f >= 0 ? f : null;
            default: return null;
        }
    }

    private static TabTwinException UnknownValue(ColumnEncoderState state, string value, string text)
    {
        static string List(IEnumerable<string> values)
        {
            var all = values.ToArray();
            return string.Join(", ", all.Take(20)) + (all.Length > 20 ? $", ... ({all.Length} in all)" : "");
        }
        return state switch
        {
            CategoricalEncoderState { HasRareCode: true } c => new TabTwinException("condition.unknown-category",
                $"Condition '{text}': column '{state.Name}' has no category '{value}' the model can emit; the known categories are: {List(c.Categories)}. " +
                "Categories seen fewer times than the rare-category threshold were dropped for privacy and are never emitted.",
                column: state.Name, hint: "Use one of the known categories (values are case-sensitive)."),
            CategoricalEncoderState c => new TabTwinException("condition.unknown-category",
                $"Condition '{text}': the category '{value}' of column '{state.Name}' was never seen in training; the known categories are: {List(c.Categories)}.",
                column: state.Name, hint: "Use one of the known categories (values are case-sensitive)."),
            BooleanEncoderState b => new TabTwinException("condition.unknown-category",
                $"Condition '{text}': '{value}' is not a value of boolean column '{state.Name}' (use {b.TrueToken} or {b.FalseToken}).", column: state.Name),
            TextEncoderState t => new TabTwinException("condition.unknown-category",
                $"Condition '{text}': '{value}' is not among the frequent values of text column '{state.Name}' the model can reproduce" +
                (t.FrequentValues.Length > 0 ? $" ({List(t.FrequentValues)})" : " (it has none)") + "; rarer texts are never reproduced, for privacy.",
                column: state.Name),
            _ => new TabTwinException("condition.unknown-category", $"Condition '{text}': '{value}' is not a value of column '{state.Name}'.", column: state.Name),
        };
    }

    private static ColumnConstraint Continuous(TableEncoding encoding, ColumnEncoderState state, ColumnSchema cs,
        IReadOnlyList<ColumnCondition> list, int index, string text)
    {
        var set = ConditionChecks.NumberSetFor(list, cs);
        if (set.IsEmpty) throw ConditionChecks.EmptyRange(list, cs);
        bool clip = encoding.Options.ClipToObservedRange;
        Func<double, double> decode = state switch
        {
            NumericalEncoderState n => v => n.Restore(v, clip),
            DatetimeEncoderState d => v => d.RestoreTicks(v, clip),
            _ => throw new ArgumentException($"Column '{state.Name}' is not numeric or datetime."),
        };
        var intervals = new List<Interval>();
        foreach (var i in set.Intervals)
            if (Preimage(decode, i) is { } p) intervals.Add(p);
        if (intervals.Count == 0 && !set.AllowMissing)
        {
            string range = state switch
            {
                NumericalEncoderState n => $"[{ConditionChecks.Number(n.Min)}, {ConditionChecks.Number(n.Max)}]",
                DatetimeEncoderState d => $"[{ConditionValues.FormatTicks(d.MinTicks, d.Format)}, {ConditionValues.FormatTicks(d.MaxTicks, d.Format)}]",
                _ => "?",
            };
            throw new TabTwinException("condition.outside-support",
                $"Condition '{text}': no value the model emits for column '{state.Name}' satisfies it; the model emits values in {range}" +
                (clip ? " (the range seen in training)." : "."), column: state.Name, hint: $"Ask for values within {range}.");
        }
        return new ColumnConstraint { Index = index, Name = state.Name, Text = text, Intervals = intervals.ToArray(), AllowMissing = set.AllowMissing };
    }

    /// <summary>
    /// The encoded values whose decoded value lies in <paramref name="target"/>, for a monotone (non-decreasing)
    /// decode: an interval found by bisection over the ordered doubles, or null when empty.
    /// </summary>
    internal static Interval? Preimage(Func<double, double> decode, Interval target)
    {
        long lowest = Key(-double.MaxValue), highest = Key(double.MaxValue);
        // First encoded value decoding to ≥ target.Low, last decoding to ≤ target.High.
        long first = FirstTrue(lowest, highest, k => decode(FromKey(k)) >= target.Low);
        long last = FirstTrue(lowest, highest, k => decode(FromKey(k)) > target.High) - 1;
        if (first > highest || last < lowest || first > last) return null;
        double lo = FromKey(first), hi = FromKey(last);
        return new Interval(first == lowest ? double.NegativeInfinity : lo, last == highest ? double.PositiveInfinity : hi);
    }

    /// <summary>The smallest key in [lo, hi] where <paramref name="predicate"/> (false then true) holds, or hi + 1.</summary>
    private static long FirstTrue(long lo, long hi, Func<long, bool> predicate)
    {
        long a = lo, b = hi + 1;
        while (a < b)
        {
            long mid = a + (long)((ulong)(b - a) >> 1); // the span can exceed long.MaxValue: halve it unsigned
            if (predicate(mid)) b = mid; else a = mid + 1;
        }
        return a;
    }

    /// <summary>Doubles mapped to longs in the same order (−0 and +0 share a key).</summary>
    private static long Key(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        return bits >= 0 ? bits : long.MinValue - bits;
    }

    private static double FromKey(long k) => BitConverter.Int64BitsToDouble(k >= 0 ? k : long.MinValue - k);

    internal static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
