using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Schema;

/// <summary>Detection on the shared real datasets: expected kinds, no false personal data, readable reasons.</summary>
public class SchemaDetectorRealDataTests
{
    private static ColumnSchema Col(TableSchema s, string name) => s[name];

    [Fact]
    public void Adult_has_no_pii_no_ids_and_every_column_is_numerical_or_categorical()
    {
        var table = CsvTestTables.Load("adult", "adult.csv");
        var schema = SchemaDetector.Detect(table);
        Assert.Equal(table.ColumnNames, schema.Columns.Select(c => c.Name));
        foreach (var c in schema.Columns)
        {
            Assert.True(c.Kind is ColumnKind.Numerical or ColumnKind.Categorical, $"{c.Name} detected as {c.KindLabel}: {c.Reason}");
            Assert.False(string.IsNullOrWhiteSpace(c.Reason));
        }
        Assert.Equal(ColumnKind.Numerical, Col(schema, "age").Kind);
        Assert.Equal("numbers: 73 distinct integer values", Col(schema, "age").Reason);
        Assert.Equal(ColumnKind.Numerical, Col(schema, "education-num").Kind);
        Assert.Equal(ColumnKind.Categorical, Col(schema, "income").Kind);
        Assert.StartsWith("categorical: 16 distinct labels", Col(schema, "education").Reason);
    }

    [Fact]
    public void Chinook_customers_personal_columns_are_pii_and_the_key_is_an_id()
    {
        var schema = SchemaDetector.Detect(CsvTestTables.Load("chinook", "Customer.csv"));
        Assert.Equal(ColumnKind.Id, Col(schema, "CustomerId").Kind);
        Assert.Equal("id: unique key: 59 distinct values in 59 rows, name ends in 'id'", Col(schema, "CustomerId").Reason);
        var expected = new Dictionary<string, PiiType>
        {
            ["FirstName"] = PiiType.FirstName, ["LastName"] = PiiType.LastName, ["Address"] = PiiType.StreetAddress,
            ["City"] = PiiType.City, ["PostalCode"] = PiiType.PostalCode, ["Phone"] = PiiType.Phone, ["Fax"] = PiiType.Phone,
            ["Email"] = PiiType.Email, ["State"] = PiiType.State, ["Company"] = PiiType.Company,
        };
        foreach (var (name, type) in expected)
        {
            var c = Col(schema, name);
            Assert.True(c.Kind == ColumnKind.Pii && c.Pii == type, $"{name}: {c.KindLabel} ({c.Reason})");
            Assert.StartsWith($"pii({SchemaJson.EnumName(type)}): ", c.Reason);
        }
        Assert.Equal("pii(email): 98% of values look like e-mail addresses", Col(schema, "Email").Reason);
        Assert.Equal(ColumnKind.Categorical, Col(schema, "Country").Kind);
        // State codes (SP, QC, CA…) beside a street address are faked with it as one unit (the row's country's states);
        // without the address they are a quasi-identifier's code list, modelled as categories.
        Assert.EndsWith("faked with the table's street address as one unit", Col(schema, "State").Reason);
        var withoutAddress = SchemaDetector.Detect(CsvTestTables.Load("chinook", "Customer.csv").Without("Address"));
        Assert.Equal(ColumnKind.Categorical, Col(withoutAddress, "State").Kind);
        Assert.Contains("a quasi-identifier", Col(withoutAddress, "State").Reason);
        // A repeated small "…Id" column is a reference to another table, not a key.
        Assert.Equal(ColumnKind.Categorical, Col(schema, "SupportRepId").Kind);
        Assert.Contains("values repeat", Col(schema, "SupportRepId").Reason);
    }

    [Fact]
    public void Chinook_employees_keep_dates_and_detect_personal_data()
    {
        var schema = SchemaDetector.Detect(CsvTestTables.Load("chinook", "Employee.csv"));
        Assert.Equal(ColumnKind.Id, Col(schema, "EmployeeId").Kind);
        Assert.Equal(ColumnKind.Datetime, Col(schema, "BirthDate").Kind);
        Assert.Equal("yyyy-MM-dd HH:mm:ss", Col(schema, "BirthDate").Format);
        Assert.Equal("datetime: format yyyy-MM-dd HH:mm:ss", Col(schema, "BirthDate").Reason);
        Assert.Equal(PiiType.FirstName, Col(schema, "FirstName").Pii);
        Assert.Equal(PiiType.Email, Col(schema, "Email").Pii);
        Assert.NotEqual(ColumnKind.Pii, Col(schema, "Title").Kind);
    }

    [Fact]
    public void Airbnb_listing_titles_are_text_host_names_are_first_names_and_host_id_is_not_a_key()
    {
        var schema = SchemaDetector.Detect(CsvTestTables.Load("airbnb_nyc_2019", "AB_NYC_2019.csv"));
        Assert.Equal(ColumnKind.Id, Col(schema, "id").Kind);
        Assert.Equal(ColumnKind.Text, Col(schema, "name").Kind);
        Assert.Contains("person", Col(schema, "name").Reason); // says why the "name" hint was rejected
        Assert.Equal(ColumnKind.Numerical, Col(schema, "host_id").Kind);
        Assert.Contains("values repeat, so not a key", Col(schema, "host_id").Reason);
        Assert.Equal((ColumnKind.Pii, PiiType.FirstName), (Col(schema, "host_name").Kind, Col(schema, "host_name").Pii));
        Assert.Equal(ColumnKind.Numerical, Col(schema, "latitude").Kind);
        Assert.Equal(ColumnKind.Categorical, Col(schema, "neighbourhood").Kind);
        Assert.Equal(ColumnKind.Datetime, Col(schema, "last_review").Kind);
    }

    [Fact]
    public void Titanic_names_are_person_names_and_survived_is_boolean()
    {
        var schema = SchemaDetector.Detect(CsvTestTables.Load("titanic", "titanic3.csv"));
        Assert.Equal((ColumnKind.Pii, PiiType.PersonName), (Col(schema, "name").Kind, Col(schema, "name").Pii));
        Assert.Contains("title", Col(schema, "name").Reason);
        Assert.Equal(ColumnKind.Boolean, Col(schema, "survived").Kind);
        Assert.Equal("boolean: numeric 0/1 values", Col(schema, "survived").Reason);
        Assert.Equal(ColumnKind.Numerical, Col(schema, "fare").Kind);
        Assert.Equal(ColumnKind.Categorical, Col(schema, "sex").Kind);
    }

    [Theory]
    [InlineData("Artist.csv")]
    [InlineData("Genre.csv")]
    [InlineData("Track.csv")]
    [InlineData("MediaType.csv")]
    public void Chinook_name_columns_of_things_are_not_person_names(string file)
    {
        var schema = SchemaDetector.Detect(CsvTestTables.Load("chinook", file));
        var name = Col(schema, "Name");
        Assert.NotEqual(ColumnKind.Pii, name.Kind);
        Assert.Contains("the column name suggests a person's name but", name.Reason);
    }

    [Theory]
    [InlineData("bank_marketing", "bank_full.csv")]
    [InlineData("german_credit", "german_credit.csv")]
    [InlineData("credit_default_taiwan", "credit_default_taiwan.csv")]
    [InlineData("online_shoppers", "online_shoppers_intention.csv")]
    [InlineData("wine_quality", "wine_quality.csv")]
    [InlineData("california_housing", "california_housing.csv")]
    public void Datasets_without_personal_data_get_no_pii(string dataset, string file)
    {
        var schema = SchemaDetector.Detect(CsvTestTables.Load(dataset, file));
        Assert.DoesNotContain(schema.Columns, c => c.Kind == ColumnKind.Pii);
    }

    [Fact]
    public void Yes_no_labels_are_booleans_and_keep_their_spelling_in_the_reason()
    {
        // The reader already stores yes/no as booleans; stored as two categories they are still booleans.
        var viaReader = SchemaDetector.Detect(CsvTestTables.Load("bank_marketing", "bank_full.csv"));
        Assert.Equal((ColumnKind.Boolean, "boolean: true/false values written 'yes'/'no'"), (Col(viaReader, "loan").Kind, Col(viaReader, "loan").Reason));
        var byHand = SchemaDetector.Detect(CsvTestTables.ReadByHand("bank_marketing", "bank_full.csv"));
        Assert.Equal((ColumnKind.Boolean, "boolean: two values 'yes'/'no'"), (Col(byHand, "loan").Kind, Col(byHand, "loan").Reason));
    }

    [Fact]
    public void Detected_schema_round_trips_through_json_with_reasons_and_validates_against_the_table()
    {
        var table = CsvTestTables.Load("chinook", "Customer.csv");
        var schema = SchemaDetector.Detect(table, new SchemaDetectionOptions { Locale = "de" });
        var json = SchemaJson.ToJson(schema);
        Assert.Contains("\"pii\": \"first_name\"", json);
        Assert.Contains("\"reason\": \"id: unique key: 59 distinct values in 59 rows, name ends in 'id'\"", json);
        var back = SchemaJson.FromJson(json);
        Assert.Equal("de", back.Locale);
        Assert.Equal(schema.Columns, back.Columns);
        back.Validate(table);
    }

    [Theory]
    [InlineData("chinook", "Customer.csv")]
    [InlineData("titanic", "titanic3.csv")]
    [InlineData("adult", "adult.csv")]
    public void Kinds_do_not_hinge_on_how_the_reader_stores_strings(string dataset, string file)
    {
        // The hand loader stores yes/no as categories and some columns as text where the real reader differs;
        // the detected kinds (apart from the storage-given booleans) must agree.
        var viaReader = SchemaDetector.Detect(CsvTestTables.Load(dataset, file));
        var byHand = SchemaDetector.Detect(CsvTestTables.ReadByHand(dataset, file));
        Assert.Equal(viaReader.Columns.Select(c => (c.Name, c.KindLabel)), byHand.Columns.Select(c => (c.Name, c.KindLabel)));
    }

    [Fact]
    public void Detection_is_deterministic()
    {
        var table = CsvTestTables.Load("airbnb_nyc_2019", "AB_NYC_2019.csv");
        Assert.Equal(SchemaDetector.Detect(table).Columns, SchemaDetector.Detect(table).Columns);
    }
}
