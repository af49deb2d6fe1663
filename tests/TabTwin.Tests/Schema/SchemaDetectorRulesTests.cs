using System.Globalization;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Fakes;

namespace TabTwin.Tests.Schema;

/// <summary>Detection rules on small hand-made tables: one behaviour per test, exact kinds and reasons.</summary>
public class SchemaDetectorRulesTests
{
    private static ColumnSchema DetectText(string name, IEnumerable<string?> values) =>
        SchemaDetector.DetectColumn(new TextColumn(name, values.ToArray()));

    private static ColumnSchema DetectCategorical(string name, IEnumerable<string?> values) =>
        SchemaDetector.DetectColumn(CategoricalColumn.FromStrings(name, values.ToList()));

    private static ColumnSchema DetectNumbers(string name, IEnumerable<double> values) =>
        SchemaDetector.DetectColumn(new NumericColumn(name, values.ToArray()));

    /// <summary>n values cycling through the given examples (so each example repeats).</summary>
    private static IEnumerable<string> Cycle(int n, params string[] examples) => Enumerable.Range(0, n).Select(i => examples[i % examples.Length]);

    [Theory]
    [InlineData(PiiType.Email, "pii(email): 100% of values look like e-mail addresses", "ann@example.com", "bob.smith+x@mail.co.uk", "c_d@sub.example.org")]
    [InlineData(PiiType.Url, "pii(url): 100% of values look like URLs", "https://example.com/a?b=1", "http://www.test.org", "www.shop.de/cart")]
    [InlineData(PiiType.IpAddress, "pii(ip_address): 100% of values look like IP addresses", "192.168.0.1", "10.0.0.255", "2001:db8::ff00:42:8329", "8.8.8.8")]
    [InlineData(PiiType.Iban, "pii(iban): 100% of values look like IBANs with valid check digits", "DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91 ABNA 0417 1643 00")]
    [InlineData(PiiType.CreditCard, "pii(credit_card): 100% of values look like card numbers passing the Luhn check", "4111111111111111", "5500-0055-5555-5559", "340000000000009", "6011 0000 0000 0004")]
    [InlineData(PiiType.NationalId, "pii(national_id): 100% of values look like national ID numbers (US SSN, UK NINO, Spanish DNI or Brazilian CPF)", "123-45-6789", "078-05-1120", "AB123456C", "JG 10 37 58 D", "12345678Z", "529.982.247-25")]
    [InlineData(PiiType.Phone, "pii(phone): 100% of values look like phone numbers", "+1 (780) 428-9482", "+49 0711 2842222", "(212) 555-0100", "415-555-0199")]
    public void Personal_data_is_found_from_values_alone(PiiType type, string reason, params string[] examples)
    {
        var c = DetectText("col7", Cycle(60, examples));
        Assert.Equal(ColumnKind.Pii, c.Kind);
        Assert.Equal(type, c.Pii);
        Assert.Equal(reason, c.Reason);
    }

    [Fact]
    public void Value_match_must_reach_90_percent()
    {
        // 85% e-mails is not enough without a name hint...
        var values = Cycle(85, "a@b.com", "x.y@example.org").Concat(Cycle(15, "none", "unknown", "n/a")).ToList();
        Assert.NotEqual(ColumnKind.Pii, DetectCategorical("contact_info", values).Kind);
        // ...but with an e-mail name hint 70% suffices.
        var c = DetectCategorical("email", values);
        Assert.Equal((ColumnKind.Pii, PiiType.Email), (c.Kind, c.Pii));
        Assert.Equal("pii(email): the column name suggests an e-mail address and 85% of values look like e-mail addresses", c.Reason);
    }

    [Fact]
    public void Card_numbers_failing_luhn_are_not_credit_cards()
    {
        var bad = Enumerable.Range(0, 50).Select(i => (4111111111111111L + i * 7919L).ToString(CultureInfo.InvariantCulture))
            .Where(s => !Checksums.LuhnValid(s)).ToList();
        Assert.NotEqual(ColumnKind.Pii, DetectText("col", bad).Kind);
    }

    [Fact]
    public void Iban_with_wrong_check_digits_is_not_an_iban()
    {
        var c = DetectText("col", Cycle(40, "DE88370400440532013000", "GB81WEST12345698765432"));
        Assert.NotEqual(ColumnKind.Pii, c.Kind);
    }

    [Theory]
    [InlineData("first_name", PiiType.FirstName, "Anna", "José", "Li", "Mary-Jane")]
    [InlineData("FirstName", PiiType.FirstName, "Anna", "Peter", "Jo")]
    [InlineData("given name", PiiType.FirstName, "Anna", "Peter", "Jo")]
    [InlineData("surname", PiiType.LastName, "Müller", "O'Brien", "Smith", "van Dijk")]
    [InlineData("last_name", PiiType.LastName, "Müller", "Nguyen", "Smith")]
    [InlineData("full_name", PiiType.PersonName, "Anna Müller", "Peter Smith", "Li Wei")]
    [InlineData("street_address", PiiType.StreetAddress, "12 Main Street", "Av. Brigadeiro Faria Lima, 2170", "Theodor-Heuss-Straße 34")]
    [InlineData("mobile", PiiType.Phone, "0711 2842222", "030/1234567", "555 0100 222")]
    [InlineData("website", PiiType.Url, "example.com", "shop.example.de/home", "https://x.org")]
    [InlineData("ssn", PiiType.NationalId, "123456789", "987654321", "111-22-3333")]
    [InlineData("cc_number", PiiType.CreditCard, "4111 1111 1111 1112", "5500005555555550")]
    public void Name_hints_count_when_values_fit(string column, PiiType type, params string[] examples)
    {
        var c = DetectCategorical(column, Cycle(40, examples));
        Assert.True(c.Kind == ColumnKind.Pii && c.Pii == type, $"{column}: {c.KindLabel} ({c.Reason})");
        Assert.StartsWith($"pii({SchemaJson.EnumName(type)}): the column name suggests", c.Reason);
    }

    [Theory]
    [InlineData("ethnicity")]   // ends in "city" but is not the word
    [InlineData("capacity")]
    [InlineData("electricity")]
    public void Hints_match_whole_words_only(string column)
    {
        var c = DetectCategorical(column, Cycle(300, "cauc", "hispanic", "other"));
        Assert.Equal(ColumnKind.Categorical, c.Kind);
        Assert.Equal("categorical: 3 distinct labels repeated over 300 values", c.Reason);
    }

    [Theory]
    [InlineData("company", true)]
    [InlineData("CompanyName", true)]
    [InlineData("employer", true)]
    [InlineData("company_size", false)]   // the word is not the column's subject
    [InlineData("firmware", false)]
    public void Company_names_that_are_all_different_are_pii_and_repeated_ones_a_dimension(string column, bool hinted)
    {
        string[] names = ["Embraer S.A.", "JetBrains s.r.o.", "Woodstock Discos", "Banco do Brasil S.A.", "Riotur", "Telus", "Rogers Canada", "Google Inc."];
        var unique = DetectCategorical(column, names.SelectMany(n => Enumerable.Range(0, 5).Select(i => $"{n} {i}")).ToArray());
        Assert.Equal(hinted ? ColumnKind.Pii : ColumnKind.Text, unique.Kind);   // 40 different names without a hint: free text
        if (hinted) Assert.Equal(PiiType.Company, unique.Pii);
        // Forty rows each of eight employers: the dimension an analysis groups by, modelled with rare names protected.
        var repeated = DetectCategorical(column, Cycle(320, names));
        Assert.Equal(ColumnKind.Categorical, repeated.Kind);
        if (hinted) Assert.Contains("a dimension rather than an identifier", repeated.Reason);
    }

    [Theory]
    [InlineData("State", true)]
    [InlineData("BillingState", true)]
    [InlineData("state_code", true)]
    [InlineData("province", true)]
    [InlineData("StateHoliday", false)]   // Rossmann's holiday codes
    [InlineData("state_of_charge", false)]
    public void State_names_are_a_quasi_identifier_hint_only_when_the_word_is_the_subject(string column, bool hinted)
    {
        var c = DetectCategorical(column, Cycle(300, "CA", "NY", "TX", "WA", "ON", "QC"));
        Assert.Equal(ColumnKind.Categorical, c.Kind);
        Assert.Equal(hinted, (c.Reason ?? "").Contains("suggests a state or province, a quasi-identifier"));
    }

    [Theory]
    [InlineData("zip_code")]
    [InlineData("ZipCode")]
    [InlineData("zipcode")]
    [InlineData("zip")]
    [InlineData("Postal Code")]
    public void Postal_code_names_are_recognised_in_every_spelling(string column)
    {
        var c = DetectCategorical(column, Cycle(300, "12227-000", "70174", "T5K 2N1", "SW1A 1AA", "10115", "75008"));
        Assert.Contains("the column name suggests a postal code", c.Reason);
    }

    [Theory]
    [InlineData("city", "cauc", "hispanic", "other")]
    [InlineData("city", "NE", "SW", "NW", "SE", "N", "S", "E", "W")]
    [InlineData("first_name", "F", "M", "X", "NB", "U", "O")]
    [InlineData("last_name", "ab", "cd", "ef", "gh", "ij", "kl")]
    [InlineData("city", "Cauc", "Hispanic", "Other")]
    public void Short_codes_never_pass_as_places_or_names(string column, params string[] codes)
    {
        var c = DetectCategorical(column, Cycle(400, codes));
        Assert.NotEqual(ColumnKind.Pii, c.Kind);
        Assert.DoesNotContain("quasi-identifier", c.Reason);
    }

    [Fact]
    public void A_city_column_without_a_street_address_is_modelled_as_categories()
    {
        string[] cities = ["São Paulo", "Berlin", "New York", "Saint-Étienne", "Oslo", "Lyon", "Kraków", "Seattle"];
        var alone = DetectCategorical("city", Cycle(7_000, cities));
        Assert.Equal(ColumnKind.Categorical, alone.Kind);
        Assert.StartsWith("categorical: 8 distinct labels over 7,000 values; the column name suggests a city, a quasi-identifier", alone.Reason);
        var zip = DetectNumbers("zipcode", Enumerable.Range(0, 7_000).Select(i => 98001.0 + i % 70));
        Assert.Equal(ColumnKind.Categorical, zip.Kind);
        Assert.Contains("quasi-identifier", zip.Reason);

        // Beside a street address the city is part of the address and faked with it.
        var table = new Table([
            new TextColumn("street", Enumerable.Range(0, 400).Select(i => $"{i + 1} {(i % 3 == 0 ? "Main" : "Oak")} Street").ToArray()),
            CategoricalColumn.FromStrings("city", Cycle(400, cities).ToList()),
            CategoricalColumn.FromStrings("zip", Cycle(400, "10115", "75008", "98052").ToList())]);
        var schema = SchemaDetector.Detect(table);
        Assert.Equal(["pii(street_address)", "pii(city)", "pii(postal_code)"], schema.Columns.Select(c => c.KindLabel));
        Assert.EndsWith("faked with the table's street address as one unit", schema["city"].Reason);
    }

    [Fact]
    public void Unique_short_codes_are_keys_not_text()
    {
        var tails = Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? $"N{10000 + i * 7}" : $"N{100 + i}{(char)('A' + i % 26)}{(char)('A' + i / 26 % 26)}").ToArray();
        var c = DetectText("tailnum", tails);
        Assert.Equal(ColumnKind.Id, c.Kind);
        Assert.Equal("id: unique key: 300 distinct values in 300 rows, values are short codes without spaces (6–6 characters, 100% with digits, letters in capitals)", c.Reason);
        var words = DetectText("genre", Enumerable.Range(0, 300).Select(i => $"Genre{(char)('a' + i % 26)}{(char)('a' + i / 26 % 26)}x").ToArray());
        Assert.NotEqual(ColumnKind.Id, words.Kind); // lower-case words without digits are not codes
    }

    [Fact]
    public void A_name_column_of_products_is_not_personal_data_and_says_why()
    {
        var c = DetectCategorical("name", Cycle(200, "Widget 3000", "Gadget Pro 2", "Sprocket XL 10", "Gizmo 7"));
        Assert.Equal(ColumnKind.Categorical, c.Kind);
        Assert.Equal("categorical: 4 distinct labels repeated over 200 values; the column name suggests a person's name but only 0% of values are written like person names (others hold digits or symbols)", c.Reason);
    }

    [Fact]
    public void A_city_column_holding_numbers_is_not_a_city()
    {
        var c = DetectCategorical("city", Cycle(100, "1", "2", "3 4", "17"));
        Assert.NotEqual(ColumnKind.Pii, c.Kind);
        Assert.Contains("the column name suggests a city but only 0% of values look like place names", c.Reason);
    }

    [Fact]
    public void A_bare_name_column_with_given_names_is_a_person_name()
    {
        var c = DetectText("customer_name", Cycle(50, "Anna Schmidt", "Peter Miller", "John Smith", "Maria Garcia", "David Brown"));
        Assert.Equal((ColumnKind.Pii, PiiType.PersonName), (c.Kind, c.Pii));
    }

    [Fact]
    public void Integer_sequence_is_an_id_even_without_a_name_hint()
    {
        var c = DetectNumbers("row", Enumerable.Range(100, 500).Select(i => (double)i * 5));
        Assert.Equal(ColumnKind.Id, c.Kind);
        Assert.Equal("id: unique key: 500 distinct values in 500 rows, an integer sequence with step 5", c.Reason);
    }

    [Fact]
    public void Continuous_all_distinct_floats_are_numerical_not_ids()
    {
        var c = DetectNumbers("measurement_id", Enumerable.Range(0, 300).Select(i => i * 1.37 + Math.Sin(i) * 0.01));
        Assert.Equal(ColumnKind.Numerical, c.Kind);
        Assert.Contains("but the values have decimals, so not a key", c.Reason);
        var plain = DetectNumbers("weight", Enumerable.Range(0, 300).Select(i => i * 1.37 + Math.Sin(i) * 0.01));
        Assert.Equal(ColumnKind.Numerical, plain.Kind);
        Assert.Contains("all distinct but continuous, so not a key", plain.Reason);
    }

    [Fact]
    public void Unique_random_integers_without_a_hint_or_sequence_are_numerical()
    {
        var values = new HashSet<double>();
        var rng = new Random(7);
        while (values.Count < 200) values.Add(rng.Next(1, 1_000_000));
        Assert.Equal(ColumnKind.Numerical, DetectNumbers("amount", values).Kind);
        Assert.Equal(ColumnKind.Id, DetectNumbers("account_no", values).Kind);
    }

    [Fact]
    public void Keys_with_many_missing_values_are_not_ids()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var missing = Bitmask.FromBools(Enumerable.Range(0, 100).Select(i => i % 10 == 0).ToArray());
        var c = SchemaDetector.DetectColumn(new NumericColumn("user_id", values, missing));
        Assert.NotEqual(ColumnKind.Id, c.Kind);
        Assert.Contains("values are missing, so not a key", c.Reason);
    }

    [Fact]
    public void Prefixed_and_uuid_text_keys_are_ids_by_pattern()
    {
        var cust = DetectText("customer", Enumerable.Range(1, 300).Select(i => $"CUST-{i:000000}"));
        Assert.Equal(ColumnKind.Id, cust.Kind);
        Assert.Equal("id: unique key: 300 distinct values in 300 rows, values share the key pattern 'AAAA-999999'", cust.Reason);
        var rng = new Random(3);
        var uuids = DetectText("token", Enumerable.Range(0, 100).Select(_ => { var b = new byte[16]; rng.NextBytes(b); return new Guid(b).ToString(); }));
        Assert.Equal(ColumnKind.Id, uuids.Kind);
        Assert.EndsWith("values are UUIDs", uuids.Reason);
    }

    [Fact]
    public void Unique_free_text_is_text_not_an_id()
    {
        var c = DetectText("comment", Enumerable.Range(0, 100).Select(i => $"this is a longer remark number {i} about the stay"));
        Assert.Equal(ColumnKind.Text, c.Kind);
        Assert.StartsWith("text: 100 distinct values in 100 rows", c.Reason);
    }

    [Fact]
    public void Booleans_come_from_storage_zero_one_numbers_and_two_valued_yes_no_labels()
    {
        var b = SchemaDetector.DetectColumn(new BooleanColumn("flag", [true, false, true], trueToken: "Y", falseToken: "N"));
        Assert.Equal((ColumnKind.Boolean, "boolean: true/false values written 'Y'/'N'"), (b.Kind, b.Reason));
        Assert.Equal(ColumnKind.Boolean, DetectNumbers("f", Cycle(20, "0", "1").Select(double.Parse)).Kind);
        Assert.Equal(ColumnKind.Boolean, DetectCategorical("smoker", Cycle(20, "Yes", "No")).Kind);
        Assert.Equal(ColumnKind.Categorical, DetectCategorical("sex", Cycle(20, "male", "female")).Kind);
        Assert.Equal(ColumnKind.Numerical, DetectNumbers("f", Cycle(20, "0", "2").Select(double.Parse)).Kind);
    }

    [Fact]
    public void Datetime_storage_gives_datetime_kind_with_the_columns_format()
    {
        var d = new DateTimeColumn("when", [new DateTime(2020, 1, 2).Ticks, new DateTime(2021, 3, 4).Ticks], format: "dd.MM.yyyy");
        var c = SchemaDetector.DetectColumn(d);
        Assert.Equal((ColumnKind.Datetime, "dd.MM.yyyy", "datetime: format dd.MM.yyyy"), (c.Kind, c.Format, c.Reason));
    }

    [Fact]
    public void Small_label_sets_are_categorical_and_many_long_values_are_text()
    {
        Assert.Equal(ColumnKind.Categorical, DetectText("color", Cycle(500, "red", "green", "blue")).Kind);
        Assert.Equal(ColumnKind.Text, DetectText("review", Enumerable.Range(0, 500).Select(i => $"Review {i % 300}: great place, would stay again")).Kind);
    }

    [Fact]
    public void All_missing_columns_get_a_kind_and_a_reason()
    {
        Assert.Equal("categorical: every value is missing", DetectText("x", new string?[5]).Reason);
        var n = SchemaDetector.DetectColumn(new NumericColumn("n", new double[3], Bitmask.FromBools([true, true, true])));
        Assert.Equal("numbers: every value is missing", n.Reason);
    }

    [Fact]
    public void Unknown_locale_is_rejected_with_valid_examples()
    {
        var t = new Table([new NumericColumn("a", [1, 2])]);
        var e = Assert.Throws<SchemaException>(() => SchemaDetector.Detect(t, new SchemaDetectionOptions { Locale = "xx-YY" }));
        Assert.Equal("schema.locale", e.Code);
        Assert.Contains("'xx-YY'", e.Message);
        Assert.Contains("en_GB", e.Message);
    }

    [Fact]
    public void Detect_on_a_million_rows_samples_pattern_work_and_counts_exactly()
    {
        const int n = 1_000_000;
        var ids = new double[n];
        var emails = new string?[n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = i + 1;
            emails[i] = $"user{i}@example.com";
            labels[i] = i % 7;
        }
        var table = new Table([
            new NumericColumn("id", ids), new TextColumn("contact", emails),
            new CategoricalColumn("grade", labels, ["a", "b", "c", "d", "e", "f", "g"])]);
        var schema = SchemaDetector.Detect(table);
        Assert.Equal("id: unique key: 1,000,000 distinct values in 1,000,000 rows, name ends in 'id'", schema["id"].Reason);
        Assert.Equal("pii(email): 100% of values look like e-mail addresses", schema["contact"].Reason);
        Assert.Equal("categorical: 7 distinct labels repeated over 1,000,000 values", schema["grade"].Reason);
    }

    [Theory]
    [InlineData("CustomerId", "customer id")]
    [InlineData("customer_id", "customer id")]
    [InlineData("IDNumber", "id number")]
    [InlineData("e-mail", "e mail")]
    [InlineData("HTTPServerURL", "http server url")]
    [InlineData("Delta 15 N (o/oo)", "delta 15 n o oo")]
    public void Column_names_split_into_words(string name, string words) =>
        Assert.Equal(words, string.Join(' ', ColumnNameHints.SplitWords(name)));
}
