using System.Text;
using TabTwin.Tables;

namespace TabTwin.Schema;

/// <summary>Detection rules for string storage (categorical or text columns).</summary>
internal static class TextRules
{
    /// <summary>Up to this many distinct labels a column is categorical whatever its size.</summary>
    private const int SmallLabelSet = 20;

    private static readonly (string True, string False)[] BooleanPairs =
        [("yes", "no"), ("y", "n"), ("true", "false"), ("t", "f"), ("1", "0"), ("on", "off")];

    /// <summary>Value patterns strong enough to decide personal data without a name hint, checked in this order.</summary>
    private static readonly (PiiType Type, Func<string, bool> Test, string Looks)[] ValueRules =
    [
        (PiiType.Email, ValuePatterns.IsEmail, "e-mail addresses"),
        (PiiType.Url, ValuePatterns.IsUrl, "URLs"),
        (PiiType.IpAddress, ValuePatterns.IsIpAddress, "IP addresses"),
        (PiiType.Iban, ValuePatterns.IsIban, "IBANs with valid check digits"),
        (PiiType.CreditCard, ValuePatterns.IsCreditCard, "card numbers passing the Luhn check"),
        (PiiType.NationalId, ValuePatterns.IsNationalId, "national ID numbers (US SSN, UK NINO, Spanish DNI or Brazilian CPF)"),
        (PiiType.Phone, ValuePatterns.IsClearlyPhone, "phone numbers"),
    ];

    public static ColumnSchema Detect(ColumnProfile p, ColumnNameHints hints, SchemaDetectionOptions o, bool streetAddressInTable)
    {
        var c = p.Column;
        if (p.Present == 0) return SchemaDetector.Make(c, ColumnKind.Categorical, "categorical: every value is missing");

        if (BooleanLabels(p) is { } pair)
            return SchemaDetector.Make(c, ColumnKind.Boolean, $"boolean: two values '{pair.True}'/'{pair.False}'");

        foreach (var (type, test, looks) in ValueRules)
        {
            double share = p.Share(test);
            if (share >= o.PiiValueShare)
                return Pii(c, type, $"{SchemaDetector.Percent(share)} of values look like {looks}");
        }

        string note = "";
        if (hints.PiiHint() is { } hint)
        {
            var (fits, evidence) = hint.GenericName ? GenericNameEvidence(p, o) : NameHintEvidence(p, hint.Type, o);
            if (fits is { } type && !ColumnNameHints.IsQuasiIdentifier(type))
                return Pii(c, type, $"the column name suggests {hint.Matched} and {evidence}");
            if (fits is { } part && streetAddressInTable)
                return Pii(c, part, $"the column name suggests {hint.Matched} and {evidence}; faked with the table's street address as one unit");
            if (fits is not null)
                return SchemaDetector.Make(c, ColumnKind.Categorical,
                    $"categorical: {SchemaDetector.Count(p.Distinct)} distinct labels over {SchemaDetector.Count(p.Present)} values; {SchemaDetector.QuasiIdentifierNote(hint.Matched)}");
            note = $"; the column name suggests {hint.Matched} but {evidence}";
        }

        if (SchemaDetector.IsUniqueKey(p, o))
        {
            string? why = hints.IdHint() is { } idHint && p.Share(s => s.Length <= 64 && !s.Any(char.IsWhiteSpace)) >= 0.99 ? idHint : KeyShape(p) ?? CodeShape(p);
            if (why is not null) return SchemaDetector.Make(c, ColumnKind.Id, $"id: {SchemaDetector.KeyPrefix(p)}, {why}");
        }

        double avgLength = p.AverageLength;
        bool text = p.Distinct > SmallLabelSet && (p.Distinct > 0.5 * p.Present || (avgLength >= 40 && p.Distinct > 0.2 * p.Present));
        // Short codes without spaces from a bounded list (chinook's State: SP, QC, CA… in 30 of 59 rows) are a code list:
        // as text they would be written as invented letter pairs; as categories the rare ones are never emitted.
        if (text && IsCodeList(p))
            return SchemaDetector.Make(c, ColumnKind.Categorical,
                $"categorical: {SchemaDetector.Count(p.Distinct)} short codes (mostly at most {MaxCodeLength} characters, no spaces) in {SchemaDetector.Count(p.Present)} values, a code list rather than free text{note}");
        return text
            ? SchemaDetector.Make(c, ColumnKind.Text,
                $"text: {SchemaDetector.Count(p.Distinct)} distinct values in {SchemaDetector.Count(p.Present)} rows, {avgLength:0} characters on average{note}")
            : SchemaDetector.Make(c, ColumnKind.Categorical, p.Distinct < p.Present
                ? $"categorical: {SchemaDetector.Count(p.Distinct)} distinct labels repeated over {SchemaDetector.Count(p.Present)} values{note}"
                : $"categorical: only {SchemaDetector.Count(p.Distinct)} values, too few to call free text{note}");
    }

    private const int MaxCodeLength = 4;
    private const int MaxCodes = 100;

    /// <summary>
    /// Nine in ten values are short codes of letters/digits, none has a space (chinook's one "Dublin" among the state
    /// codes), and there are few enough of them to be a list.
    /// </summary>
    private static bool IsCodeList(ColumnProfile p) =>
        p.Distinct <= MaxCodes && p.Share(s => s.Length is > 0 and <= MaxCodeLength && s.All(char.IsLetterOrDigit)) >= 0.9
        && p.Share(s => s.Length <= 16 && !s.Any(char.IsWhiteSpace)) >= 1.0;

    private static ColumnSchema Pii(Column c, PiiType type, string why) =>
        SchemaDetector.Make(c, ColumnKind.Pii, $"pii({SchemaJson.EnumName(type)}): {why}", type);

    /// <summary>Exactly two labels forming a yes/no-style pair (any case), stored as categories so they can be booleans.</summary>
    private static (string True, string False)? BooleanLabels(ColumnProfile p)
    {
        if (p.Distinct != 2 || p.Column is not CategoricalColumn cat) return null;
        var counts = cat.CountPerCategory();
        var used = cat.Categories.Where((_, i) => counts[i] > 0).ToArray();
        foreach (var (t, f) in BooleanPairs)
        {
            string? trueLabel = used.FirstOrDefault(u => u.Equals(t, StringComparison.OrdinalIgnoreCase));
            string? falseLabel = used.FirstOrDefault(u => u.Equals(f, StringComparison.OrdinalIgnoreCase));
            if (trueLabel is not null && falseLabel is not null) return (trueLabel, falseLabel);
        }
        return null;
    }

    /// <summary>Whether the values back a specific name hint (e-mail, city, first name, …): the type when they do, and a readable why.</summary>
    private static (PiiType? Type, string Evidence) NameHintEvidence(ColumnProfile p, PiiType type, SchemaDetectionOptions o)
    {
        (Func<string, bool> test, string looks) = type switch
        {
            PiiType.Email => ((Func<string, bool>)ValuePatterns.IsEmail, "e-mail addresses"),
            PiiType.Phone => (ValuePatterns.IsPhoneLike, "phone numbers"),
            PiiType.Url => (ValuePatterns.IsUrlOrDomain, "URLs or domains"),
            PiiType.IpAddress => (ValuePatterns.IsIpAddress, "IP addresses"),
            PiiType.Iban => (ValuePatterns.IsIban, "IBANs"),
            PiiType.CreditCard => (s => s.Count(char.IsAsciiDigit) is >= 12 and <= 19 && s.All(ch => char.IsAsciiDigit(ch) || ch is ' ' or '-'), "card numbers"),
            PiiType.NationalId => (s => s.Count(char.IsAsciiDigit) >= 6 && s.Length <= 20, "ID numbers"),
            PiiType.PostalCode => (ValuePatterns.IsPostalCodeLike, "postal codes"),
            PiiType.City => (ValuePatterns.IsPlaceNameLike, "place names"),
            PiiType.StreetAddress => (ValuePatterns.IsAddressLike, "street addresses"),
            PiiType.State => (s => (s.Length is >= 2 and <= 3 && s.All(char.IsAsciiLetterUpper)) || ValuePatterns.IsPlaceNameLike(s), "state codes or names"),
            PiiType.Company => (s => s.Length is >= 2 and <= 100 && s.Any(char.IsLetter) && !s.Any(char.IsControl), "company names"),
            PiiType.FirstName or PiiType.LastName => (s => ValuePatterns.IsPersonLike(s) && ValuePatterns.WordCount(s) <= 3, "names"),
            _ => (ValuePatterns.IsPersonLike, "person names"),
        };
        double share = p.Share(test);
        // Company names that repeat over many rows are a dimension analyses group by (the employer of 40 people), so
        // they are modelled as categories, rare ones protected; names that are nearly all different identify a record.
        if (type == PiiType.Company && share >= o.PiiNameShare && p.Distinct < 0.5 * p.Present)
            return (null, $"its {SchemaDetector.Count(p.Distinct)} names repeat over {SchemaDetector.Count(p.Present)} rows, a dimension rather than an identifier");
        // A handful of labels repeated over many rows is a code list (Cauc/Hispanic/Other), not names or places.
        if (share >= o.PiiNameShare && type is PiiType.City or PiiType.FirstName or PiiType.LastName or PiiType.PersonName
            && p.Present >= 100 && p.Distinct < 5)
            return (null, $"only {p.Distinct} distinct values repeat over {SchemaDetector.Count(p.Present)} rows, a code list rather than {looks}");
        return share >= o.PiiNameShare
            ? (type, $"{SchemaDetector.Percent(share)} of values look like {looks}")
            : (null, $"only {SchemaDetector.Percent(share)} of values look like {looks}");
    }

    /// <summary>
    /// A bare "name" (or "…name") column may hold products, companies or places, so it counts as a person's
    /// name only when the values are written like names AND many contain a common given name or a title.
    /// </summary>
    private static (PiiType? Type, string Evidence) GenericNameEvidence(ColumnProfile p, SchemaDetectionOptions o)
    {
        double personLike = p.Share(ValuePatterns.IsPersonLike);
        if (personLike < 0.8)
            return (null, $"only {SchemaDetector.Percent(personLike)} of values are written like person names (others hold digits or symbols)");
        double givenName = p.Share(ValuePatterns.HasKnownFirstName);
        double titled = p.Share(ValuePatterns.HasTitle);
        if (givenName < 0.5 && titled < 0.3)
            return (null, $"only {SchemaDetector.Percent(givenName)} of values contain a common given name");
        double oneWord = p.Share(s => ValuePatterns.WordCount(s) == 1);
        string evidence = titled >= 0.3
            ? $"{SchemaDetector.Percent(personLike)} of values are written like person names ({SchemaDetector.Percent(titled)} with a title such as Mr./Mrs.)"
            : $"{SchemaDetector.Percent(personLike)} of values are written like person names ({SchemaDetector.Percent(givenName)} contain a common given name)";
        return (oneWord >= 0.8 ? PiiType.FirstName : PiiType.PersonName, evidence + (oneWord >= 0.8 ? ", mostly a single word" : ""));
    }

    /// <summary>A regular key pattern shared by (nearly) all values — UUIDs or one character-class shape with digits — described readably, or null.</summary>
    private static string? KeyShape(ColumnProfile p)
    {
        if (p.Sample.All(s => Guid.TryParse(s, out _) && s.Length >= 32)) return "values are UUIDs";
        var shapes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in p.Sample)
        {
            if (s.Length is 0 or > 64 || s.Any(char.IsWhiteSpace)) return null;
            var shape = CollapsedShape(s);
            shapes[shape] = shapes.GetValueOrDefault(shape) + 1;
        }
        var top = shapes.MaxBy(kv => kv.Value);
        if (top.Value < 0.99 * p.Sample.Length || !top.Key.Contains('9')) return null;
        var example = p.Sample.First(s => CollapsedShape(s) == top.Key);
        return $"values share the key pattern '{ClassShape(example)}'";
    }

    /// <summary>
    /// Short codes of several shapes (tail numbers N10156/N102UW, airport codes ABQ/04G): single tokens of letters,
    /// digits and - _ . / of at most 20 characters, mostly with digits or all in capitals — a unique column of such
    /// values is a key, not free text or names. Null when values have spaces, lower-case words or other characters.
    /// </summary>
    private static string? CodeShape(ColumnProfile p)
    {
        static bool CodeChar(char ch) => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or '/';
        if (p.Sample.Length == 0 || p.Sample.Any(s => s.Length is 0 or > 20 || !s.All(CodeChar))) return null;
        double withDigits = p.Share(s => s.Any(char.IsAsciiDigit));
        bool capitals = p.Sample.All(s => !s.Any(char.IsAsciiLetterLower));
        if (withDigits < 0.5 && !(capitals && p.Sample.All(s => s.Length <= 6))) return null;
        int shortest = p.Sample.Min(s => s.Length), longest = p.Sample.Max(s => s.Length);
        return $"values are short codes without spaces ({shortest}–{longest} characters, {SchemaDetector.Percent(withDigits)} with digits"
            + (capitals ? ", letters in capitals)" : ")");
    }

    private static char ClassOf(char c) => char.IsAsciiDigit(c) ? '9' : char.IsAsciiLetterUpper(c) ? 'A' : char.IsAsciiLetterLower(c) ? 'a' : char.IsLetter(c) ? 'L' : c;

    /// <summary>Characters mapped to classes (9 digit, A upper, a lower), runs of one class collapsed, so CUST-12 and CUST-123 share a shape.</summary>
    private static string CollapsedShape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char ch in s)
        {
            char k = ClassOf(ch);
            if (sb.Length == 0 || sb[^1] != k || !(k is '9' or 'A' or 'a' or 'L')) sb.Append(k);
        }
        return sb.ToString();
    }

    /// <summary>Per-character class shape of one value (e.g. AAAA-999999): shows the form without revealing the key.</summary>
    private static string ClassShape(string s) => new(s.Select(ClassOf).ToArray());
}
