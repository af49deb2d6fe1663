using System.Globalization;
using System.Numerics;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>How a database result column becomes a typed column, as <see cref="DbColumnConverter.Convert(string, string, DbColumnBuffer, ReadOptions, string)"/> decides it over the whole column.</summary>
internal enum DbRoute { AllMissing, Integer, Floating, Boolean, DateTime, Offsets, Text }

/// <summary>
/// The decision for one database column, fixed when a chunked source is opened, so every chunk has the column type and
/// presentation <see cref="DbTableReader.Read"/> gives the whole result.
/// </summary>
internal sealed record DbColumnPlan(DbRoute Route)
{
    public bool IsInteger { get; init; }
    public int DecimalPlaces { get; init; }
    public string? Format { get; init; }
    public bool HasOffsets { get; init; }
    public ColumnPlan? Text { get; init; }
    /// <summary>Text read without missing tokens (integers beyond 2^53 kept as their digits, as the converter does).</summary>
    public bool NoTokens { get; init; }
}

/// <summary>
/// Watches one database column block by block (<see cref="DbColumnBuffer"/>s of the first pass) and decides its
/// <see cref="DbColumnPlan"/> with the rules of <see cref="DbColumnConverter"/>: the value kinds and CLR types seen,
/// integers beyond 2^53, decimal scales and float/double presence, detected decimal places, UTC and sub-second instants.
/// A column read as text from values that are not all strings needs a second look at its text (<see cref="NeedsText"/>).
/// </summary>
internal sealed class DbColumnProfile(string name, string dbType, MissingTokens tokens)
{
    private readonly HashSet<DbColumnBuffer.Kind> _kinds = [];
    private readonly List<object> _samples = [];   // one value per CLR type, in order of appearance (for the unsupported-type error)
    private readonly HashSet<Type> _types = [];
    private bool _beyond, _anyFloat, _sawUtc, _fraction, _allDateOnly = true;
    private int _maxScale, _detectedDecimals;
    private readonly ColumnProfile _strings = new(name);

    public string Name => name;
    public string DbType => dbType;

    public void Observe(DbColumnBuffer block)
    {
        if (block.ValueKind == DbColumnBuffer.Kind.None) return;
        _kinds.Add(block.ValueKind);
        switch (block.ValueKind)
        {
            case DbColumnBuffer.Kind.Integer:
                Sample(0L);
                var nulls = block.Nulls();
                var longs = block.Longs();
                for (int i = 0; i < longs.Length; i++) _beyond |= !nulls[i] && Math.Abs((decimal)longs[i]) > ValueShapes.MaxExactInteger;
                break;
            case DbColumnBuffer.Kind.Double:
                Sample(0.0);
                _anyFloat = true;
                Decimals(block.Doubles(), block.Nulls());
                break;
            case DbColumnBuffer.Kind.String:
                Sample("");
                ColumnInference.Observe(_strings, block.Strings(), tokens);
                break;
            case DbColumnBuffer.Kind.Boolean: Sample(false); break;
            case DbColumnBuffer.Kind.DateTime:
                Sample(default(DateTime));
                _sawUtc |= block.SawUtc;
                _allDateOnly = false;
                _fraction |= DbColumnConverter.FractionFor(block.Ticks(), block.Nulls()).Length > 0;
                break;
            default: ObserveObjects(block.Objects()); break;
        }
    }

    private void ObserveObjects(List<object?> values)
    {
        bool numeric = true;
        var data = new double[values.Count];
        var mask = new Bitmask.Builder(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            var v = values[i];
            if (v is null) { mask.Set(i); continue; }
            Sample(v);
            var t = v.GetType();
            switch (v)
            {
                case decimal m: _maxScale = Math.Max(_maxScale, m.Scale); data[i] = (double)m; break;
                case float f: _anyFloat = true; data[i] = double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture); break;
                case double d: _anyFloat = true; data[i] = d; break;
                case DateTime dt: _sawUtc |= dt.Kind == DateTimeKind.Utc; _allDateOnly = false; _fraction |= dt.Ticks % TimeSpan.TicksPerSecond != 0; numeric = false; break;
                case DateTimeOffset dto: _fraction |= dto.DateTime.Ticks % TimeSpan.TicksPerSecond != 0; numeric = false; break;
                default:
                    if (DbColumnConverter.IsIntegral(t))
                    {
                        var big = Convert.ToDecimal(v, CultureInfo.InvariantCulture);
                        _beyond |= Math.Abs(big) > ValueShapes.MaxExactInteger;
                        data[i] = (double)big;
                    }
                    else numeric = false;
                    break;
            }
        }
        mask.EnsureLength(values.Count);
        if (numeric) Decimals(data, mask.Build());
    }

    private void Sample(object value)
    {
        if (_types.Add(value.GetType())) _samples.Add(value);
    }

    /// <summary>What <see cref="NumericColumn"/> detects for a floating-point block; the whole column's is the largest.</summary>
    private void Decimals(double[] values, Bitmask missing)
        => _detectedDecimals = Math.Max(_detectedDecimals, new NumericColumn(name, values, missing, isInteger: false).DecimalPlaces);

    /// <summary>Whether the plan reads the column as text made from values that are not all strings (a second pass feeds <see cref="ObserveText"/>).</summary>
    public bool NeedsText { get; private set; }

    /// <summary>Second pass over a column read as text: every value's invariant text (the first pass only saw strings).</summary>
    public void ObserveText(IReadOnlyList<string?> texts, MissingTokens textTokens) => ColumnInference.Observe(_textProfile ??= new ColumnProfile(name), texts, textTokens);

    private ColumnProfile? _textProfile;

    /// <summary>
    /// The route before any second pass: text routes from values that are not all strings set <see cref="NeedsText"/>; call
    /// <see cref="Decide"/> after it. Unsupported types throw the converter's own error.
    /// </summary>
    public DbColumnPlan Route(ReadOptions options, string display)
    {
        if (_kinds.Count == 0) return new DbColumnPlan(DbRoute.AllMissing);
        var kind = _kinds.Count == 1 ? _kinds.First() : DbColumnBuffer.Kind.Objects;
        switch (kind)
        {
            case DbColumnBuffer.Kind.Integer: return Integers();
            case DbColumnBuffer.Kind.Double: return new DbColumnPlan(DbRoute.Floating) { IsInteger = false, DecimalPlaces = _detectedDecimals };
            case DbColumnBuffer.Kind.String: return new DbColumnPlan(DbRoute.Text) { Text = _strings.Decide() };
            case DbColumnBuffer.Kind.Boolean: return new DbColumnPlan(DbRoute.Boolean);
            case DbColumnBuffer.Kind.DateTime: return DateTimes(dateOnlyValues: false);
        }
        var types = _types.ToList();
        if (types.All(DbColumnConverter.IsIntegral)) return Integers();
        if (types.All(t => DbColumnConverter.IsIntegral(t) || t == typeof(double) || t == typeof(float) || t == typeof(decimal)))
            return _anyFloat
                ? new DbColumnPlan(DbRoute.Floating) { IsInteger = false, DecimalPlaces = _detectedDecimals }
                : new DbColumnPlan(DbRoute.Floating) { IsInteger = _maxScale == 0, DecimalPlaces = Math.Min(_maxScale, 15) };
        if (types.All(t => t == typeof(bool))) return new DbColumnPlan(DbRoute.Boolean);
        if (types.All(t => t == typeof(DateTime) || t == typeof(DateOnly))) return DateTimes(_allDateOnly);
        if (types.All(t => t == typeof(DateTimeOffset)))
            return new DbColumnPlan(DbRoute.Offsets) { Format = "yyyy-MM-dd HH:mm:ss" + (_fraction ? ValueShapes.VariableFraction : "") + "zzz", HasOffsets = true };
        if (types.All(t => t == typeof(string) || t == typeof(Guid) || t == typeof(BigInteger) || DbColumnConverter.IsIntegral(t)
                || t == typeof(double) || t == typeof(float) || t == typeof(decimal)))
        {
            NeedsText = true;
            return new DbColumnPlan(DbRoute.Text);
        }
        // The converter names the first unsupported type exactly as a whole read does.
        DbColumnConverter.Convert(name, dbType, [.. _samples], options, display);
        throw new InvalidOperationException($"Column '{name}': no route for types {string.Join(", ", types.Select(t => t.Name))}.");
    }

    private DbColumnPlan Integers()
    {
        if (!_beyond) return new DbColumnPlan(DbRoute.Integer) { IsInteger = true };
        NeedsText = true;   // beyond 2^53 a double changes the digits: the converter keeps the column as text, without missing tokens
        return new DbColumnPlan(DbRoute.Text) { NoTokens = true };
    }

    private DbColumnPlan DateTimes(bool dateOnlyValues)
    {
        string type = dbType.ToLowerInvariant();
        string fraction = _fraction ? ValueShapes.VariableFraction : "";
        if (_sawUtc || type.Contains("with time zone") || type.Contains("timestamptz"))
            return new DbColumnPlan(DbRoute.DateTime) { Format = "yyyy-MM-dd HH:mm:ss" + fraction + "zzz", HasOffsets = true };
        if (dateOnlyValues || type == "date") return new DbColumnPlan(DbRoute.DateTime) { Format = "yyyy-MM-dd" };
        return new DbColumnPlan(DbRoute.DateTime) { Format = "yyyy-MM-dd HH:mm:ss" + fraction };
    }

    /// <summary>The final plan: a text route gets the plan its (second-pass) text decided.</summary>
    public DbColumnPlan Decide(DbColumnPlan route)
        => route.Route == DbRoute.Text && route.Text is null
            ? route with { Text = (_textProfile ?? new ColumnProfile(name)).Decide() }
            : route;
}
