using System.Globalization;
using TabTwin.Tables;

namespace TabTwin.Schema;

public sealed record SchemaDetectionOptions
{
    /// <summary>Bogus locale recorded in the schema for fake personal data.</summary>
    public string Locale { get; init; } = "en";
    /// <summary>Share of sampled values that must match a personal-data pattern when the column name gives no hint.</summary>
    public double PiiValueShare { get; init; } = 0.9;
    /// <summary>Share of sampled values that must fit when the column name suggests personal data (the name is the main evidence).</summary>
    public double PiiNameShare { get; init; } = 0.7;
    /// <summary>Most missing values (as a share of rows) a unique key may have.</summary>
    public double KeyMaxMissingShare { get; init; } = 0.01;
    /// <summary>Pattern checks look at at most this many evenly spaced values per column; counts use the whole column.</summary>
    public int SampleSize { get; init; } = 10_000;
}

/// <summary>
/// Infers a <see cref="TableSchema"/> from a table: each column's kind with a readable reason.
/// Rules, in order: storage type decides booleans and datetimes; 0/1 numbers and yes/no labels are booleans;
/// values that overwhelmingly match a personal-data pattern are pii; a name hint for personal data counts when
/// most values fit it; unique keys (all distinct, next to no missing) are ids when the name says so, the numbers
/// form a sequence, or the text shares one key pattern; the rest is numerical, categorical or text.
/// </summary>
public static class SchemaDetector
{
    public static TableSchema Detect(Table table, SchemaDetectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new SchemaDetectionOptions();
        PiiLocales.Validate(options.Locale);
        var columns = new ColumnSchema[table.ColumnCount];
        // Columns are independent, so detect them in parallel; each result depends only on its column.
        Parallel.For(0, table.ColumnCount, i => columns[i] = DetectColumn(table[i], options));
        return new TableSchema { Locale = options.Locale, Columns = columns };
    }

    /// <summary>Detects the kind of one column (see <see cref="Detect"/>).</summary>
    public static ColumnSchema DetectColumn(Column column, SchemaDetectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(column);
        options ??= new SchemaDetectionOptions();
        var profile = ColumnProfile.Build(column, Math.Max(100, options.SampleSize));
        var hints = new ColumnNameHints(column.Name);
        return column switch
        {
            BooleanColumn b => Make(column, ColumnKind.Boolean, $"boolean: true/false values written '{b.TrueToken}'/'{b.FalseToken}'"),
            DateTimeColumn d => Make(column, ColumnKind.Datetime, $"datetime: format {d.Format}" + (d.HasOffset ? " with UTC offsets" : ""), format: d.Format),
            NumericColumn => NumericRules.Detect(profile, hints, options),
            _ => TextRules.Detect(profile, hints, options),
        };
    }

    internal static ColumnSchema Make(Column column, ColumnKind kind, string reason, PiiType? pii = null, string? format = null) =>
        new() { Name = column.Name, Kind = kind, Pii = pii, Format = format, Reason = reason };

    internal static string Percent(double share) => ((int)Math.Floor(share * 100 + 1e-9)).ToString(CultureInfo.InvariantCulture) + "%";
    internal static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A unique key: every present value distinct and (almost) nothing missing.</summary>
    internal static bool IsUniqueKey(ColumnProfile p, SchemaDetectionOptions o) =>
        p.AllDistinct && p.Present >= 2 && p.Missing <= o.KeyMaxMissingShare * p.Rows;

    internal static string KeyPrefix(ColumnProfile p) => $"unique key: {Count(p.Distinct)} distinct values in {Count(p.Rows)} rows";
}

/// <summary>Detection rules for numeric storage.</summary>
internal static class NumericRules
{
    /// <summary>At most this many distinct integer codes make a repeated "…id" column categorical (a reference) rather than numerical.</summary>
    private const int MaxReferenceCodes = 50;

    public static ColumnSchema Detect(ColumnProfile p, ColumnNameHints hints, SchemaDetectionOptions o)
    {
        var c = p.Column;
        if (p.Present == 0) return SchemaDetector.Make(c, ColumnKind.Numerical, "numbers: every value is missing");
        if (p.OnlyZeroOne) return SchemaDetector.Make(c, ColumnKind.Boolean, "boolean: numeric 0/1 values");

        string note = "";
        if (hints.PiiHint() is { } pii && !pii.GenericName)
        {
            if (NumericPii(p, pii.Type, o) is { } share)
                return SchemaDetector.Make(c, ColumnKind.Pii,
                    $"pii({SchemaJson.EnumName(pii.Type)}): the column name suggests {pii.Matched} and {SchemaDetector.Percent(share)} of values are digit strings of that length", pii.Type);
            note = $"; the column name suggests {pii.Matched} but the numbers do not look like one";
        }

        string? idHint = hints.IdHint();
        if (p.IsInteger && SchemaDetector.IsUniqueKey(p, o))
        {
            if (idHint is not null) return Id(c, $"id: {SchemaDetector.KeyPrefix(p)}, {idHint}");
            if (p.Present >= 10 && p.EvenlySpaced)
                return Id(c, $"id: {SchemaDetector.KeyPrefix(p)}, an integer sequence with step {p.Step.ToString(CultureInfo.InvariantCulture)}");
            if (p.Present >= 10 && p.Max - p.Min + 1 <= 1.1 * p.Present)
                return Id(c, $"id: {SchemaDetector.KeyPrefix(p)}, an integer sequence with few gaps");
        }
        if (idHint is not null)
        {
            if (!p.IsInteger) note += $"; {idHint} but the values have decimals, so not a key";
            else if (!p.AllDistinct && hints.IsReferenceHint() && p.Distinct <= MaxReferenceCodes && p.Distinct <= 0.5 * p.Present
                     && p.Min >= 0 && p.Max <= 10.0 * p.Distinct) // compact codes such as 1..25, not years or measurements
                return SchemaDetector.Make(c, ColumnKind.Categorical,
                    $"categorical: {SchemaDetector.Count(p.Distinct)} distinct integer codes; {idHint} but values repeat, so it refers to other records rather than being a key");
            else if (!p.AllDistinct) note += $"; {idHint} but values repeat, so not a key";
            else note += $"; {idHint} but {SchemaDetector.Count(p.Missing)} values are missing, so not a key";
        }

        string reason = p.IsInteger
            ? $"numbers: {SchemaDetector.Count(p.Distinct)} distinct integer values"
            : $"numbers: {SchemaDetector.Count(p.Distinct)} distinct values with up to {((NumericColumn)c).DecimalPlaces} decimals";
        if (!p.IsInteger && p.AllDistinct && p.Present >= 10) reason += "; all distinct but continuous, so not a key";
        return SchemaDetector.Make(c, ColumnKind.Numerical, reason + note);
    }

    /// <summary>Share of values fitting a personal-data type that numbers can hold (postal codes, phones, national IDs), or null.</summary>
    private static double? NumericPii(ColumnProfile p, PiiType type, SchemaDetectionOptions o)
    {
        if (!p.IsInteger || p.Min < 0) return null;
        Func<string, bool>? test = type switch
        {
            PiiType.PostalCode => s => s.Length is >= 3 and <= 10,
            PiiType.Phone => s => s.Length is >= 7 and <= 15,
            PiiType.NationalId => s => s.Length is >= 6 and <= 15,
            _ => null,
        };
        if (test is null) return null;
        double share = p.Share(test);
        return share >= o.PiiNameShare ? share : null;
    }

    private static ColumnSchema Id(Column c, string reason) => SchemaDetector.Make(c, ColumnKind.Id, reason);
}
