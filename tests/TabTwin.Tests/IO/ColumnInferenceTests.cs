using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.IO;

public class ColumnInferenceTests
{
    private static Column Infer(string name, params string?[] values) => ColumnInference.Infer(name, values);

    [Fact]
    public void Integers_including_negative_stay_integers()
    {
        var c = Assert.IsType<NumericColumn>(Infer("n", "1", "-42", "0", "", "9007199254740992"));
        Assert.True(c.IsInteger);
        Assert.Equal(-42, c[1]);
        Assert.True(c.IsMissing(3));
        Assert.Equal("9007199254740992", c.FormatValue(4));
    }

    [Fact]
    public void Decimals_and_scientific_remember_their_places()
    {
        var c = Assert.IsType<NumericColumn>(Infer("x", "1.5", "2.25", "-0.125", "3"));
        Assert.False(c.IsInteger);
        Assert.Equal(3, c.DecimalPlaces);
        var s = Assert.IsType<NumericColumn>(Infer("x", "1e3", "2.5E-2", "-1.25e1"));
        Assert.False(s.IsInteger);
        Assert.Equal(0.025, s[1]);
        Assert.Equal(3, s.DecimalPlaces); // 2.5E-2 = 0.025
    }

    [Theory]
    [InlineData("00123")]          // leading zero: an identifier
    [InlineData("+44 20 7946")]    // phone number
    [InlineData("+5")]             // explicit plus would be lost
    [InlineData("9007199254740993")] // beyond 2^53: a double would change it
    [InlineData("-12345678901234567890")]
    public void Values_that_would_lose_digits_are_not_numbers(string odd)
    {
        var c = Infer("code", "1", "2", odd);
        Assert.NotEqual(ColumnType.Numeric, c.Type);
        Assert.Equal(odd, c.FormatValue(2));
    }

    [Theory]
    [InlineData("true", "false")]
    [InlineData("Yes", "No")]
    [InlineData("Y", "N")]
    [InlineData("t", "f")]
    [InlineData("TRUE", "FALSE")]
    public void Boolean_pairs_keep_their_spelling(string yes, string no)
    {
        var c = Assert.IsType<BooleanColumn>(Infer("flag", yes, no, "", yes));
        Assert.Equal([true, false, false, true], c.Values.ToArray());
        Assert.True(c.IsMissing(2));
        Assert.Equal(yes, c.TrueToken);
        Assert.Equal(no, c.FalseToken);
        Assert.Equal(no, c.FormatValue(1));
    }

    [Fact]
    public void Missing_boolean_spelling_follows_the_case_of_the_seen_one()
    {
        var c = Assert.IsType<BooleanColumn>(Infer("flag", "YES", "YES"));
        Assert.Equal("NO", c.FalseToken);
    }

    [Fact]
    public void Zero_one_stays_numeric_and_mixed_boolean_pairs_are_not_boolean()
    {
        Assert.IsType<NumericColumn>(Infer("flag", "0", "1", "1"));
        Assert.IsType<CategoricalColumn>(Infer("flag", "yes", "false"));
    }

    [Theory]
    [InlineData("yyyy-MM-dd", "2024-01-31", "1999-12-01")]
    [InlineData("yyyy-MM-ddTHH:mm:ss", "2024-01-31T10:15:30", "1999-12-01T00:00:00")]
    [InlineData("yyyy-MM-ddTHH:mm:ss.fff", "2024-01-31T10:15:30.125", "1999-12-01T00:00:00.500")]
    [InlineData("yyyy-MM-ddTHH:mm:ss.FFFFFFF", "2024-01-31T10:15:30.1", "1999-12-01T00:00:00.25")]
    [InlineData("yyyy-MM-ddTHH:mm:ss'Z'", "2024-01-31T10:15:30Z", "1999-12-01T00:00:00Z")]
    [InlineData("yyyy-MM-dd HH:mm:ss", "2024-01-31 10:15:30", "1999-12-01 00:00:00")]
    [InlineData("yyyy/MM/dd", "2024/01/31", "1999/12/01")]
    [InlineData("MM/dd/yyyy", "01/31/2024", "12/01/1999")]
    [InlineData("dd/MM/yyyy", "31/01/2024", "01/12/1999")]
    [InlineData("dd.MM.yyyy", "31.01.2024", "01.12.1999")]
    public void Datetime_formats_are_detected_per_column(string format, string a, string b)
    {
        var c = Assert.IsType<DateTimeColumn>(Infer("when", a, b, ""));
        Assert.Equal(format, c.Format);
        Assert.Equal(a, c.FormatValue(0));
        Assert.Equal(b, c.FormatValue(1));
        Assert.True(c.IsMissing(2));
    }

    [Fact]
    public void Month_first_is_preferred_until_a_value_above_12_says_otherwise()
    {
        Assert.Equal("MM/dd/yyyy", Assert.IsType<DateTimeColumn>(Infer("d", "01/02/2024", "03/04/2024")).Format);
        var dayFirst = Assert.IsType<DateTimeColumn>(Infer("d", "01/02/2024", "25/04/2024"));
        Assert.Equal("dd/MM/yyyy", dayFirst.Format);
        Assert.Equal(new DateTime(2024, 2, 1), dayFirst.DateTimeAt(0));
    }

    [Fact]
    public void Offsets_are_kept_per_row()
    {
        var c = Assert.IsType<DateTimeColumn>(Infer("ts", "2024-01-31T10:15:30+01:00", "2024-01-31T10:15:30-05:30", "2024-06-01T00:00:00+00:00"));
        Assert.True(c.HasOffset);
        Assert.Equal([60, -330, 0], c.OffsetMinutes.ToArray());
        Assert.Equal(new DateTime(2024, 1, 31, 10, 15, 30).Ticks, c.Ticks[1]);
        Assert.Equal("2024-01-31T10:15:30-05:30", c.FormatValue(1));
    }

    [Fact]
    public void Compact_dates_need_a_date_like_column_name()
    {
        Assert.IsType<NumericColumn>(Infer("amount", "20240131", "19991201"));
        var c = Assert.IsType<DateTimeColumn>(Infer("order_date", "20240131", "19991201"));
        Assert.Equal("yyyyMMdd", c.Format);
        Assert.Equal("20240131", c.FormatValue(0));
    }

    [Fact]
    public void Berka_compact_dates_are_read_as_dates_and_written_back_in_their_own_format()
    {
        // card.issued is "931107 00:00:00": not a number, so a date whatever the column is called.
        var cards = TableReader.Read(TestData.Dataset("berka_financial", "card.csv"));
        var issued = Assert.IsType<DateTimeColumn>(cards["issued"]);
        Assert.Equal("yyMMdd HH:mm:ss", issued.Format);
        Assert.Equal(new DateTime(1993, 11, 7), issued.DateTimeAt(0));
        // loan.date is "930705": also an integer, so only its date-like name makes it a date.
        var loans = TableReader.Read(TestData.Dataset("berka_financial", "loan.csv"));
        var date = Assert.IsType<DateTimeColumn>(loans["date"]);
        Assert.Equal("yyMMdd", date.Format);
        Assert.IsType<NumericColumn>(loans["amount"]);
        // Written back exactly as read.
        var raw = File.ReadLines(TestData.Dataset("berka_financial", "card.csv")).Skip(1).Select(l => l.Split(',')[3]).ToArray();
        Assert.Equal(raw, Enumerable.Range(0, cards.RowCount).Select(issued.FormatValue));
    }

    [Fact]
    public void Compact_dates_must_be_plausible_and_birth_numbers_are_not_dates()
    {
        // berka's client.birth_number adds 50 to the month for women (706213): not a date even under a date-like name.
        Assert.IsType<NumericColumn>(Infer("birth_date", "706213", "450204"));
        // Eight digits that parse as yyyyMMdd but fall in the year 1000 stay numbers.
        Assert.IsType<NumericColumn>(Infer("day_total", "10000101", "10000102"));
        Assert.IsType<DateTimeColumn>(Infer("day", "19991231", "20000101"));
    }

    [Fact]
    public void Categorical_versus_text_follows_the_documented_rule()
    {
        // Few rows: up to 50 distinct values are categorical.
        Assert.IsType<CategoricalColumn>(Infer("name", Enumerable.Range(0, 50).Select(i => "v" + i).ToArray()));
        // 2,000 rows, 101 distinct values > max(50, 5 % = 100): text.
        var many = Enumerable.Range(0, 2000).Select(i => "v" + (i % 101)).ToArray();
        Assert.IsType<TextColumn>(Infer("name", many));
        var fewer = Enumerable.Range(0, 2000).Select(i => "v" + (i % 100)).ToArray();
        Assert.IsType<CategoricalColumn>(Infer("name", fewer));
    }

    [Fact]
    public void Missing_tokens_are_configurable_and_the_empty_field_is_always_missing()
    {
        var standard = Assert.IsType<NumericColumn>(Infer("n", "1", "NA", "?", "", "2"));
        Assert.Equal(3, standard.MissingCount);
        var custom = ColumnInference.Infer("n", ["1", "NA", "-999", ""], new ReadOptions { MissingTokens = ["-999"] });
        Assert.IsType<CategoricalColumn>(custom); // "NA" is now a value, so the column is not numeric
        Assert.Equal(2, custom.MissingCount);
    }

    [Fact]
    public void A_column_without_values_is_all_missing_text()
    {
        var c = Assert.IsType<TextColumn>(Infer("empty", "", null, "NA"));
        Assert.Equal(3, c.MissingCount);
    }
}
