namespace TabTwin.IO;

/// <summary>What a column's text turned out to be, and everything needed to parse it the same way again.</summary>
internal enum InferredKind { AllMissing, Numeric, Boolean, DateTime, Categorical, Text }

/// <summary>The decision for one column: its kind plus the parse/format details that make the round trip exact.</summary>
internal sealed record ColumnPlan(InferredKind Kind)
{
    public bool IsInteger { get; init; }
    public int DecimalPlaces { get; init; }
    public string? DateFormat { get; init; }
    public bool DateHasOffset { get; init; }
    public string TrueToken { get; init; } = "true";
    public string FalseToken { get; init; } = "false";

    /// <summary>
    /// Whether words that read as unusable numbers (<c>INF</c>, <c>NaN</c>, <c>1e999</c>) are values here: in a text or
    /// categorical column they are an airport code or a name, not an infinity; only in a number column are they missing.
    /// </summary>
    public bool KeepsNumberWords => Kind is InferredKind.Categorical or InferredKind.Text;
}

/// <summary>
/// Watches one column's fields (pass 1) with bounded memory and decides its type.
/// Type precedence: numeric (plain 0/1 included) → boolean tokens → date/time (one format per column)
/// → categorical vs text.
/// <para>
/// Categorical-vs-text rule: a column is categorical when its number of distinct values is at most
/// max(50, 5 % of its non-missing values) and at most <see cref="MaxTrackedDistinct"/>; otherwise
/// it is free text. Distinct values are only remembered up to that cap, so memory stays bounded on
/// large files.
/// </para>
/// </summary>
internal sealed class ColumnProfile
{
    /// <summary>Upper bound on distinct values remembered (and so on categorical cardinality).</summary>
    public const int MaxTrackedDistinct = 65_536;

    private readonly string _name;
    private readonly bool _nameHintsDate;
    private long _present;
    private long _numberWords;

    private bool _numeric = true;
    private bool _allIntegers = true;
    private int _maxDecimals;

    private bool _boolean = true;
    private int _boolPair = -1;
    private string? _trueSpelling, _falseSpelling;

    private bool _date = true;
    private List<DateCandidate>? _dateCandidates; // survivors; null until the first value
    private int _minFraction = int.MaxValue, _maxFraction;

    private HashSet<string>? _distinct = new(StringComparer.Ordinal);

    public ColumnProfile(string name)
    {
        _name = name;
        _nameHintsDate = ValueShapes.NameHintsDate(name);
    }

    public long PresentCount => _present;

    /// <summary>Records one non-missing field.</summary>
    public void Observe(ReadOnlySpan<char> s)
    {
        _present++;
        if (_numeric) ObserveNumber(s);
        if (_boolean) ObserveBoolean(s);
        if (_date) ObserveDate(s);
        if (_distinct is not null) ObserveDistinct(s);
    }

    /// <summary>
    /// Records a field that reads as an unusable number (<see cref="MissingTokens.IsUnusableNumber"/>): missing if the
    /// column turns out numeric (or boolean, or dates), a value like any other if it turns out text.
    /// </summary>
    public void ObserveNumberWord(ReadOnlySpan<char> s)
    {
        _numberWords++;
        if (_distinct is not null) ObserveDistinct(s);
    }

    private void ObserveNumber(ReadOnlySpan<char> s)
    {
        if (!ValueShapes.IsNumber(s, out bool isInteger, out int decimals)) { _numeric = false; return; }
        if (!isInteger)
        {
            _allIntegers = false;
            if (decimals > _maxDecimals) _maxDecimals = decimals;
        }
    }

    private void ObserveBoolean(ReadOnlySpan<char> s)
    {
        if (!ValueShapes.TryBoolean(s, out int pair, out bool value) || (_boolPair >= 0 && pair != _boolPair)) { _boolean = false; return; }
        _boolPair = pair;
        if (value) _trueSpelling ??= s.ToString();
        else _falseSpelling ??= s.ToString();
    }

    private void ObserveDate(ReadOnlySpan<char> s)
    {
        if (!ValueShapes.MayBeDate(s)) { _date = false; return; }
        _dateCandidates ??= ValueShapes.DateCandidates.Where(c => !c.NeedsDateName || _nameHintsDate).ToList();
        for (int i = _dateCandidates.Count - 1; i >= 0; i--)
            if (!ValueShapes.TryParseDate(s, _dateCandidates[i].Format, _dateCandidates[i].HasOffset, out long ticks, out _)
                || !ValueShapes.IsPlausible(_dateCandidates[i].Format, ticks))
                _dateCandidates.RemoveAt(i);
        if (_dateCandidates.Count == 0) { _date = false; return; }
        int fraction = ValueShapes.FractionDigits(s);
        _minFraction = Math.Min(_minFraction, fraction);
        _maxFraction = Math.Max(_maxFraction, fraction);
    }

    private void ObserveDistinct(ReadOnlySpan<char> s)
    {
        var lookup = _distinct!.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.Contains(s)) return;
        if (_distinct.Count >= MaxTrackedDistinct) { _distinct = null; return; } // too many: free text, stop tracking
        _distinct.Add(s.ToString());
    }

    /// <summary>The type decision after all fields were seen.</summary>
    public ColumnPlan Decide()
    {
        if (_present == 0) return new ColumnPlan(InferredKind.AllMissing);

        var dateFormat = _date ? _dateCandidates?.FirstOrDefault() : null;
        // yyyyMMdd and yyMMdd values are also integers: only a date-like column name makes them dates.
        if (_numeric && !(dateFormat is { NeedsDateName: true }))
            return new ColumnPlan(InferredKind.Numeric) { IsInteger = _allIntegers, DecimalPlaces = _allIntegers ? 0 : _maxDecimals };
        if (_boolean)
        {
            var (t, f) = ValueShapes.BooleanPairs[_boolPair];
            string trueToken = _trueSpelling ?? ValueShapes.MatchCase(t, _falseSpelling!);
            string falseToken = _falseSpelling ?? ValueShapes.MatchCase(f, _trueSpelling!);
            return new ColumnPlan(InferredKind.Boolean) { TrueToken = trueToken, FalseToken = falseToken };
        }
        if (dateFormat is not null)
        {
            string format = dateFormat.Format;
            // Every value had the same number of fraction digits: write exactly that many back.
            if (format.Contains(ValueShapes.VariableFraction) && _minFraction == _maxFraction && _maxFraction > 0)
                format = format.Replace(ValueShapes.VariableFraction, "." + new string('f', _maxFraction));
            return new ColumnPlan(InferredKind.DateTime) { DateFormat = format, DateHasOffset = dateFormat.HasOffset };
        }
        return IsCategorical(_distinct?.Count, _present + _numberWords) ? new ColumnPlan(InferredKind.Categorical) : new ColumnPlan(InferredKind.Text);
    }

    /// <summary>The categorical-vs-text rule (see the class summary).</summary>
    public static bool IsCategorical(int? distinct, long present)
        => distinct is int d && d <= Math.Max(50, present / 20) && d <= MaxTrackedDistinct;

    public override string ToString() => $"{_name}: {_present} present";
}
