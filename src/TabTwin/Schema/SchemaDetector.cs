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
        // Columns are independent, so detect them in parallel; each result depends only on its column and on whether
        // the table has a street address (a city or postal code is faked only as part of one; see DetectColumn).
        bool hasStreetAddress = table.Columns.Any(c => new ColumnNameHints(c.Name).PiiHint()?.Type == PiiType.StreetAddress);
        try
        {
            Parallel.For(0, table.ColumnCount, i => columns[i] = DetectColumn(table[i], options, hasStreetAddress));
            if (hasStreetAddress && !columns.Any(c => c.Pii == PiiType.StreetAddress))
                Parallel.For(0, table.ColumnCount, i => columns[i] = DetectColumn(table[i], options, streetAddressInTable: false));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return new TableSchema { Locale = options.Locale, Columns = columns };
    }

    /// <summary>
    /// Detects the kind of one column (see <see cref="Detect"/>). Alone, a column has no street address beside it, so a
    /// city or postal code is a quasi-identifier modelled as categories (see <see cref="QuasiIdentifierNote"/>).
    /// </summary>
    public static ColumnSchema DetectColumn(Column column, SchemaDetectionOptions? options = null) => DetectColumn(column, options, false);

    /// <summary>
    /// Direct identifiers (names, e-mails, phones, street addresses, cards, IBANs, national IDs, IPs, URLs) are pii and
    /// replaced. A city or postal code is pii only when <paramref name="streetAddressInTable"/> (the address is then faked
    /// as one unit); otherwise it is modelled like any other column under the synthesizer's privacy protection.
    /// </summary>
    internal static ColumnSchema DetectColumn(Column column, SchemaDetectionOptions? options, bool streetAddressInTable)
    {
        ArgumentNullException.ThrowIfNull(column);
        options ??= new SchemaDetectionOptions();
        var profile = ColumnProfile.Build(column, Math.Max(100, options.SampleSize));
        var hints = new ColumnNameHints(column.Name);
        return column switch
        {
            BooleanColumn b => Make(column, ColumnKind.Boolean, $"boolean: true/false values written '{b.TrueToken}'/'{b.FalseToken}'"),
            DateTimeColumn d => Make(column, ColumnKind.Datetime, $"datetime: format {d.Format}" + (d.HasOffset ? " with UTC offsets" : ""), format: d.Format),
            NumericColumn => NumericRules.Detect(profile, hints, options, streetAddressInTable),
            _ => TextRules.Detect(profile, hints, options, streetAddressInTable),
        };
    }

    internal static ColumnSchema Make(Column column, ColumnKind kind, string reason, PiiType? pii = null, string? format = null) =>
        new() { Name = column.Name, Kind = kind, Pii = pii, Format = format, Reason = reason };

    /// <summary>Why a city or postal code column is modelled rather than replaced, and how to have it replaced.</summary>
    internal static string QuasiIdentifierNote(string matched) =>
        $"the column name suggests {matched}, a quasi-identifier: modelled like any column under privacy protection (rare values never emitted) " +
        "since the table has no street address to fake it with; declare it pii in the metadata to replace it";

    internal static string Percent(double share) => ((int)Math.Floor(share * 100 + 1e-9)).ToString(CultureInfo.InvariantCulture) + "%";
    internal static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A unique key: every present value distinct and (almost) nothing missing.</summary>
    internal static bool IsUniqueKey(ColumnProfile p, SchemaDetectionOptions o) =>
        p.AllDistinct && p.Present >= 2 && p.Missing <= o.KeyMaxMissingShare * p.Rows;

    internal static string KeyPrefix(ColumnProfile p) => $"unique key: {Count(p.Distinct)} distinct values in {Count(p.Rows)} rows";
}
