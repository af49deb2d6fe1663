using System.Globalization;
using TabTwin.Tables;

namespace TabTwin.Schema;

/// <summary>Detection rules for numeric storage.</summary>
internal static class NumericRules
{
    /// <summary>At most this many distinct integer codes make a repeated "…id" column categorical (a reference) rather than numerical.</summary>
    private const int MaxReferenceCodes = 50;

    public static ColumnSchema Detect(ColumnProfile p, ColumnNameHints hints, SchemaDetectionOptions o, bool streetAddressInTable)
    {
        var c = p.Column;
        if (p.Present == 0) return SchemaDetector.Make(c, ColumnKind.Numerical, "numbers: every value is missing");
        if (p.OnlyZeroOne) return SchemaDetector.Make(c, ColumnKind.Boolean, "boolean: numeric 0/1 values");

        string note = "";
        if (hints.PiiHint() is { } pii && !pii.GenericName)
        {
            if (NumericPii(p, pii.Type, o) is { } share && ColumnNameHints.IsQuasiIdentifier(pii.Type) && !streetAddressInTable)
                return SchemaDetector.Make(c, ColumnKind.Categorical,
                    $"categorical: {SchemaDetector.Count(p.Distinct)} distinct codes over {SchemaDetector.Count(p.Present)} values; {SchemaDetector.QuasiIdentifierNote(pii.Matched)}");
            if (NumericPii(p, pii.Type, o) is { } share2)
                return SchemaDetector.Make(c, ColumnKind.Pii,
                    $"pii({SchemaJson.EnumName(pii.Type)}): the column name suggests {pii.Matched} and {SchemaDetector.Percent(share2)} of values are digit strings of that length", pii.Type);
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
