using TabTwin.Schema;
using TabTwin.Schema.Relational;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Relational;

/// <summary>SDV's multi-table metadata JSON: read as SDV writes it (string or composite keys, sdtypes), written back, bad files named.</summary>
public sealed class DatabaseMetadataJsonTests
{
    // SDV's documented hotels/guests example, plus a composite key and a PII column as SDV spells them.
    private const string SdvExample = """
        {
          "METADATA_SPEC_VERSION": "MULTI_TABLE_V1",
          "tables": {
            "hotels": {
              "primary_key": "hotel_id",
              "columns": {
                "hotel_id": { "sdtype": "id", "regex_format": "HID_[0-9]{3}" },
                "city": { "sdtype": "categorical" },
                "rating": { "sdtype": "numerical" }
              },
              "column_relationships": []
            },
            "guests": {
              "primary_key": ["hotel_id", "guest_no"],
              "columns": {
                "guest_email": { "sdtype": "email", "pii": true },
                "hotel_id": { "sdtype": "id", "regex_format": "HID_[0-9]{3}" },
                "guest_no": { "sdtype": "numerical" },
                "checkin_date": { "sdtype": "datetime", "datetime_format": "%d %b %Y" },
                "room_type": { "sdtype": "categorical" },
                "latitude": { "sdtype": "latitude" }
              }
            }
          },
          "relationships": [{
            "parent_table_name": "hotels", "parent_primary_key": "hotel_id",
            "child_table_name": "guests", "child_foreign_key": "hotel_id"
          }]
        }
        """;

    [Fact]
    public void Sdv_metadata_reads_keys_relationships_and_column_kinds()
    {
        var meta = DatabaseMetadataJson.FromJson(SdvExample, "hotels.json");
        Assert.Equal(["hotels", "guests"], meta.Tables);
        Assert.Equal(["hotel_id", "guest_no"], meta.PrimaryKeys["guests"]);
        Assert.Equal("guests.hotel_id -> hotels.hotel_id", Assert.Single(meta.ForeignKeys).ToString());
        Assert.Equal("declared: in hotels.json", meta.ForeignKeyReasons[meta.ForeignKeys[0]].ToString());
        var guests = meta.ColumnSchemas["guests"];
        Assert.Equal("pii(email)", guests["guest_email"].KindLabel);
        Assert.Equal("dd MMM yyyy", guests["checkin_date"].Format);
        Assert.Equal(ColumnKind.Numerical, guests["guest_no"].Kind);
        Assert.Null(guests.Find("latitude"));        // no TabTwin kind: left to detection
        Assert.Null(guests.Find("hotel_id"));        // a key column's "id" is SDV's requirement, not a column kind
        Assert.Equal(ColumnKind.Categorical, meta.ColumnSchemas["hotels"]["city"].Kind);
    }

    [Fact]
    public void Chinook_metadata_written_and_read_back_keeps_keys_and_kinds()
    {
        var db = TestData.Chinook();
        var schemas = RelationalSummary.Schemas(db);
        var json = DatabaseMetadataJson.ToJson(db.Metadata, schemas);
        var back = DatabaseMetadataJson.FromJson(json);
        Assert.Equal(db.Metadata.Tables, back.Tables);
        Assert.Equal(db.Metadata.ForeignKeys, back.ForeignKeys);
        Assert.Equal(["PlaylistId", "TrackId"], back.PrimaryKeys["PlaylistTrack"]);
        Assert.Contains("\"primary_key\": [", json);
        Assert.Equal("pii(email)", back.ColumnSchemas["Customer"]["Email"].KindLabel);
        Assert.Equal(schemas["Invoice"]["InvoiceDate"].Format, back.ColumnSchemas["Invoice"]["InvoiceDate"].Format);
        Assert.Null(back.ColumnSchemas["InvoiceLine"].Find("TrackId"));
    }

    [Theory]
    [InlineData("{\"tables\": []}", "'tables' is missing or not an object")]
    [InlineData("{\"tables\": {\"a\": {\"primary_key\": 3}}}", "'tables.a.primary_key' must be a column name")]
    [InlineData("{\"tables\": {\"a\": {\"columns\": {\"x\": {}}}}}", "'tables.a.columns.x' must be an object with a string \"sdtype\"")]
    [InlineData("{\"tables\": {\"a\": {}}, \"relationships\": [{\"parent_table_name\": \"a\", \"child_table_name\": \"a\", \"child_foreign_key\": \"x\"}]}",
        "'relationships[0].parent_primary_key' is missing and table 'a' declares no primary key")]
    [InlineData("{\"tables\": {\"a\": {\"primary_key\": \"id\"}}, \"relationships\": [{\"parent_table_name\": \"b\", \"parent_primary_key\": \"id\", \"child_table_name\": \"a\", \"child_foreign_key\": \"b_id\"}]}",
        "names table 'b', which is not in the database")]
    [InlineData("{\"METADATA_SPEC_VERSION\": \"SINGLE_TABLE_V1\", \"tables\": {}}", "TabTwin reads MULTI_TABLE_V1 and V1")]
    [InlineData("{\"tables\": {\"a\": ", "is not valid JSON")]
    public void A_bad_metadata_file_is_one_error_naming_the_file_and_the_entry(string json, string expected)
    {
        var e = Assert.Throws<SchemaException>(() => DatabaseMetadataJson.FromJson(json, "meta.json"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("meta.json", e.Message);
    }

    [Fact]
    public void Nesting_and_size_are_bounded()
    {
        var deep = "{\"tables\": " + new string('[', 100) + new string(']', 100) + "}";
        Assert.Contains("not valid JSON", Assert.Throws<SchemaException>(() => DatabaseMetadataJson.FromJson(deep, "deep.json")).Message);
        var huge = new string(' ', DatabaseMetadataJson.MaxLength + 1);
        Assert.Contains("at most", Assert.Throws<SchemaException>(() => DatabaseMetadataJson.FromJson(huge, "huge.json")).Message);
    }

    [Theory]
    [InlineData("%Y-%m-%d %H:%M:%S", "yyyy-MM-dd HH:mm:ss")]
    [InlineData("%d %b %Y", "dd MMM yyyy")]
    [InlineData("%m/%d/%y %I:%M %p", "MM/dd/yy hh:mm tt")]
    public void Datetime_formats_convert_both_ways(string strftime, string dotnet)
    {
        Assert.Equal(dotnet, SdTypes.ToDotNet(strftime));
        Assert.Equal(strftime, SdTypes.ToStrftime(dotnet));
    }
}
