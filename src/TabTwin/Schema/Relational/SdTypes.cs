using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TabTwin.Schema.Relational;

/// <summary>
/// SDV's column sdtypes ↔ TabTwin's column kinds. SDV's basic sdtypes map one to one (numerical, categorical, boolean,
/// datetime, id); its personal-data sdtypes map to the PII types TabTwin fakes (email, phone_number, name, address, …);
/// an sdtype TabTwin has no kind for (<c>unknown</c>, <c>latitude</c>, …) is left to detection. Datetime formats are
/// converted between strftime (<c>%Y-%m-%d</c>) and .NET (<c>yyyy-MM-dd</c>).
/// </summary>
internal static class SdTypes
{
    private static readonly Dictionary<string, PiiType> Pii = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = PiiType.Email, ["phone_number"] = PiiType.Phone, ["name"] = PiiType.PersonName,
        ["first_name"] = PiiType.FirstName, ["last_name"] = PiiType.LastName, ["address"] = PiiType.StreetAddress,
        ["street_address"] = PiiType.StreetAddress, ["city"] = PiiType.City, ["postcode"] = PiiType.PostalCode,
        ["zipcode"] = PiiType.PostalCode, ["credit_card_number"] = PiiType.CreditCard, ["iban"] = PiiType.Iban,
        ["ssn"] = PiiType.NationalId, ["ipv4_address"] = PiiType.IpAddress, ["ipv6_address"] = PiiType.IpAddress,
        ["ip_address"] = PiiType.IpAddress, ["url"] = PiiType.Url, ["state"] = PiiType.State, ["administrative_unit"] = PiiType.State,
        ["state_abbr"] = PiiType.State, ["company"] = PiiType.Company,
    };

    // The spelling SDV reads for each PII type (several sdtypes read into one type; one is written back).
    private static readonly Dictionary<PiiType, string> PiiNames = new()
    {
        [PiiType.Email] = "email", [PiiType.Phone] = "phone_number", [PiiType.PersonName] = "name", [PiiType.FirstName] = "first_name",
        [PiiType.LastName] = "last_name", [PiiType.StreetAddress] = "street_address", [PiiType.City] = "city", [PiiType.PostalCode] = "postcode",
        [PiiType.CreditCard] = "credit_card_number", [PiiType.Iban] = "iban", [PiiType.NationalId] = "ssn", [PiiType.IpAddress] = "ipv4_address",
        [PiiType.Url] = "url", [PiiType.State] = "state", [PiiType.Company] = "company",
    };

    // strftime directive → .NET custom format; both directions use this table.
    private static readonly (string Strftime, string DotNet)[] Formats =
    [
        ("%Y", "yyyy"), ("%y", "yy"), ("%m", "MM"), ("%d", "dd"), ("%H", "HH"), ("%I", "hh"), ("%M", "mm"), ("%S", "ss"),
        ("%f", "ffffff"), ("%b", "MMM"), ("%B", "MMMM"), ("%a", "ddd"), ("%A", "dddd"), ("%p", "tt"), ("%z", "zzz"), ("%%", "%"),
    ];

    /// <summary>The column's kind for <paramref name="sdtype"/>; null when TabTwin has none (detection decides).</summary>
    public static ColumnSchema? FromJson(string column, string sdtype, JsonElement entry)
    {
        var reason = $"sdtype '{sdtype}' in the metadata";
        ColumnSchema Kind(ColumnKind kind, PiiType? pii = null, string? format = null) => new() { Name = column, Kind = kind, Pii = pii, Format = format, Reason = reason };
        switch (sdtype.ToLowerInvariant())
        {
            case "numerical": return Kind(ColumnKind.Numerical);
            case "categorical": return Kind(ColumnKind.Categorical);
            case "boolean": return Kind(ColumnKind.Boolean);
            case "id": return Kind(ColumnKind.Id);
            case "text": return Kind(ColumnKind.Text);
            case "datetime":
                var format = entry.TryGetProperty("datetime_format", out var f) && f.ValueKind == JsonValueKind.String ? ToDotNet(f.GetString()!) : null;
                return Kind(ColumnKind.Datetime, format: format);
            default:
                return Pii.TryGetValue(sdtype, out var type) ? Kind(ColumnKind.Pii, type) : null;
        }
    }

    /// <summary>The SDV column entry for a TabTwin column schema.</summary>
    public static JsonObject ToJson(ColumnSchema column)
    {
        var entry = new JsonObject();
        switch (column.Kind)
        {
            case ColumnKind.Pii when column.Pii is { } pii:
                entry["sdtype"] = PiiNames.GetValueOrDefault(pii) ?? SchemaJson.EnumName(pii);   // a type added later keeps its own name
                entry["pii"] = true;
                break;
            case ColumnKind.Datetime:
                entry["sdtype"] = "datetime";
                if (column.Format is { Length: > 0 } format) entry["datetime_format"] = ToStrftime(format);
                break;
            default:
                entry["sdtype"] = SchemaJson.EnumName(column.Kind);
                break;
        }
        return entry;
    }

    /// <summary><c>%Y-%m-%d %H:%M:%S</c> → <c>yyyy-MM-dd HH:mm:ss</c>; literal text is quoted.</summary>
    public static string ToDotNet(string strftime)
    {
        var text = new StringBuilder();
        for (int i = 0; i < strftime.Length; i++)
        {
            if (strftime[i] == '%' && i + 1 < strftime.Length && Formats.FirstOrDefault(p => p.Strftime == strftime.Substring(i, 2)) is { DotNet: { } net })
            {
                text.Append(net == "%" ? "\\%" : net);
                i++;
            }
            else if (char.IsLetter(strftime[i]) || strftime[i] is '\\' or '\'' or '"') text.Append('\\').Append(strftime[i]);
            else text.Append(strftime[i]);
        }
        return text.ToString();
    }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> → <c>%Y-%m-%d %H:%M:%S</c> (longest .NET token first; fractions of any length become %f).</summary>
    public static string ToStrftime(string format)
    {
        var text = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '\\' && i + 1 < format.Length) { text.Append(format[++i] == '%' ? "%%" : format[i].ToString()); continue; }
            int run = 1;
            while (i + run < format.Length && format[i + run] == c) run++;
            string token = new(c, run);
            var match = Formats.FirstOrDefault(p => p.DotNet == token).Strftime
                ?? (c is 'f' or 'F' ? "%f" : c == 'T' && run == 1 ? "T" : null);
            text.Append(match ?? token);
            i += run - 1;
        }
        return text.ToString();
    }
}
