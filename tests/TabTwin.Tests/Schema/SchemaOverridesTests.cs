using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Schema;

public class SchemaOverridesTests
{
    private static Table Customers() => CsvTestTables.Load("chinook", "Customer.csv");

    [Fact]
    public void Listed_columns_replace_detected_ones_and_the_rest_stay_in_table_order()
    {
        var table = Customers();
        var detected = SchemaDetector.Detect(table);
        var user = SchemaJson.FromJson("""
            {
              // only two columns; the rest stays as detected
              "columns": [
                { "name": "Company", "kind": "pii", "pii": "person_name" },
                { "name": "SupportRepId", "kind": "numerical", "reason": "ignored: user reasons are replaced" },
              ]
            }
            """);
        var merged = SchemaOverrides.Apply(detected, user, table);
        Assert.Equal(table.ColumnNames, merged.Columns.Select(c => c.Name));
        Assert.Equal(new ColumnSchema { Name = "Company", Kind = ColumnKind.Pii, Pii = PiiType.PersonName, Reason = "set in metadata" }, merged["Company"]);
        Assert.Equal((ColumnKind.Numerical, "set in metadata"), (merged["SupportRepId"].Kind, merged["SupportRepId"].Reason));
        Assert.Equal(detected["Email"], merged["Email"]);
        Assert.Equal("en", merged.Locale);
        merged.Validate(table);
    }

    [Fact]
    public void User_format_is_kept_for_ids_and_datetimes()
    {
        var table = CsvTestTables.Load("chinook", "Employee.csv");
        var user = SchemaJson.FromJson("""
            { "columns": [ { "name": "EmployeeId", "kind": "id", "format": "text:EMP-{seq:4:1:1}" },
                           { "name": "HireDate", "kind": "datetime", "format": "yyyy-MM-dd" } ] }
            """);
        var merged = SchemaOverrides.Apply(SchemaDetector.Detect(table), user, table);
        Assert.Equal("text:EMP-{seq:4:1:1}", merged["EmployeeId"].Format);
        Assert.Equal("yyyy-MM-dd", merged["HireDate"].Format);
    }

    [Fact]
    public void Locale_comes_from_the_user_file_when_given()
    {
        var table = Customers();
        var detected = SchemaDetector.Detect(table, new SchemaDetectionOptions { Locale = "fr" });
        Assert.Equal("de", SchemaOverrides.Apply(detected, SchemaJson.FromJson("""{ "locale": "de", "columns": [] }"""), table).Locale);
        Assert.Equal("fr", SchemaOverrides.Apply(detected, SchemaJson.FromJson("""{ "columns": [] }"""), table).Locale);
        // Only the JSON form can tell an explicit "en" from a defaulted one.
        Assert.Equal("en", SchemaOverrides.ApplyJson(detected, """{ "locale": "en", "columns": [] }""", table).Locale);
        Assert.Equal("fr", SchemaOverrides.ApplyJson(detected, """{ "columns": [] }""", table).Locale);
    }

    [Fact]
    public void Unknown_locale_in_the_file_is_rejected()
    {
        var table = Customers();
        var e = Assert.Throws<SchemaException>(() =>
            SchemaOverrides.ApplyJson(SchemaDetector.Detect(table), """{ "locale": "en-US", "columns": [] }""", table, "meta.json"));
        Assert.Equal(("schema.locale", "meta.json"), (e.Code, e.File));
    }

    [Fact]
    public void A_column_the_table_lacks_is_named_with_the_tables_columns()
    {
        var table = Customers();
        var user = SchemaJson.FromJson("""{ "columns": [ { "name": "E-Mail", "kind": "pii", "pii": "email" } ] }""");
        var e = Assert.Throws<SchemaException>(() => SchemaOverrides.Apply(SchemaDetector.Detect(table), user, table, "meta.json"));
        Assert.Equal(("schema.unknown-column", "E-Mail", "meta.json"), (e.Code, e.Column, e.File));
        Assert.Equal("The metadata in 'meta.json' names column 'E-Mail', which the table does not have; the table's columns are: "
            + string.Join(", ", table.ColumnNames) + ".", e.Message);
    }

    [Theory]
    [InlineData("""{ "name": "City", "kind": "numerical" }""", "declares column 'City' as numerical, but the column holds text")]
    [InlineData("""{ "name": "CustomerId", "kind": "datetime" }""", "declares column 'CustomerId' as datetime, but the column holds numbers")]
    [InlineData("""{ "name": "SupportRepId", "kind": "boolean" }""", "declares column 'SupportRepId' as boolean, but the column holds numbers other than 0 and 1")]
    [InlineData("""{ "name": "Country", "kind": "boolean" }""", "declares column 'Country' as boolean, but the column holds 24 different labels")]
    [InlineData("""{ "name": "BirthDate", "kind": "id" }""", "declares column 'BirthDate' as id, but the column holds dates/times, and generated keys must be numbers or text")]
    public void A_kind_that_does_not_suit_the_data_is_a_kind_mismatch(string entry, string message)
    {
        var table = entry.Contains("BirthDate") ? CsvTestTables.Load("chinook", "Employee.csv") : Customers();
        var user = SchemaJson.FromJson($$"""{ "columns": [ {{entry}} ] }""");
        var e = Assert.Throws<SchemaException>(() => SchemaOverrides.Apply(SchemaDetector.Detect(table), user, table));
        Assert.Equal("schema.kind-mismatch", e.Code);
        Assert.Contains(message, e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Pii_type_is_dropped_when_the_user_picks_another_kind()
    {
        var table = Customers();
        var user = SchemaJson.FromJson("""{ "columns": [ { "name": "City", "kind": "categorical", "pii": "city" } ] }""");
        var merged = SchemaOverrides.Apply(SchemaDetector.Detect(table), user, table);
        Assert.Equal(("categorical", (PiiType?)null), (merged["City"].KindLabel, merged["City"].Pii));
    }
}
