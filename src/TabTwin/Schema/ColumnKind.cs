using System.Text.Json.Serialization;

namespace TabTwin.Schema;

/// <summary>The role a column plays for synthesis (its "sdtype"), independent of its storage type.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))]
public enum ColumnKind
{
    /// <summary>Continuous or discrete numbers, modelled by their distribution.</summary>
    [JsonStringEnumMemberName("numerical")] Numerical,
    /// <summary>A fixed set of labels.</summary>
    [JsonStringEnumMemberName("categorical")] Categorical,
    /// <summary>True/false.</summary>
    [JsonStringEnumMemberName("boolean")] Boolean,
    /// <summary>Dates or timestamps, modelled as instants and written back in the source format.</summary>
    [JsonStringEnumMemberName("datetime")] Datetime,
    /// <summary>A unique key: regenerated in the same format, never copied.</summary>
    [JsonStringEnumMemberName("id")] Id,
    /// <summary>Personal data of a known type (see <see cref="PiiType"/>): replaced by realistic fake values, never copied.</summary>
    [JsonStringEnumMemberName("pii")] Pii,
    /// <summary>Free text: frequent values may be reused, rare ones never are.</summary>
    [JsonStringEnumMemberName("text")] Text,
}

/// <summary>Kinds of personal data TabTwin recognises and can fake.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PiiType>))]
public enum PiiType
{
    [JsonStringEnumMemberName("email")] Email,
    [JsonStringEnumMemberName("phone")] Phone,
    [JsonStringEnumMemberName("person_name")] PersonName,
    [JsonStringEnumMemberName("first_name")] FirstName,
    [JsonStringEnumMemberName("last_name")] LastName,
    [JsonStringEnumMemberName("street_address")] StreetAddress,
    [JsonStringEnumMemberName("city")] City,
    [JsonStringEnumMemberName("postal_code")] PostalCode,
    [JsonStringEnumMemberName("credit_card")] CreditCard,
    [JsonStringEnumMemberName("iban")] Iban,
    [JsonStringEnumMemberName("national_id")] NationalId,
    [JsonStringEnumMemberName("ip_address")] IpAddress,
    [JsonStringEnumMemberName("url")] Url,
    /// <summary>A state, province or territory (a quasi-identifier: faked only with a street address, as one unit).</summary>
    [JsonStringEnumMemberName("state")] State,
    /// <summary>A company or employer name.</summary>
    [JsonStringEnumMemberName("company")] Company,
}
