using TabTwin.Encoding;
using TabTwin.Fakes;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Encoding;

/// <summary>The fake person and address of a synthetic row agree with each other and with the row's sex and country.</summary>
public class RowConsistentFakesTests
{
    private static HashSet<string> BogusNames(string path) =>
        ((Bogus.Bson.BArray)Bogus.Database.Get("name", path, "en")).Cast<Bogus.Bson.BValue>().Select(v => v.StringValue).ToHashSet(StringComparer.Ordinal);

    private static Table Synthesize(string dataset, string file, int rows)
    {
        var real = TableReader.Read(TestData.Dataset(dataset, file));
        return SynthesizerCatalog.Cart().Fit(real, SchemaDetector.Detect(real), new FitContext(Seed: 3)).Sample(rows, seed: 3);
    }

    [Fact]
    public void Titanic_fake_names_agree_with_the_rows_sex()
    {
        var synthetic = Synthesize("titanic", "titanic3.csv", 600);
        var (female, male) = (BogusNames("female_first_name"), BogusNames("male_first_name"));
        int checkedRows = 0, disagree = 0;
        for (int r = 0; r < synthetic.RowCount; r++)
        {
            if (synthetic["name"].FormatValue(r) is not { } name || synthetic["sex"].FormatValue(r) is not { } sex) continue;
            string first = name.Split(' ')[0];
            bool isFemale = female.Contains(first) && !male.Contains(first), isMale = male.Contains(first) && !female.Contains(first);
            if (!isFemale && !isMale) continue;
            checkedRows++;
            if (sex == "female" ? isMale : isFemale) disagree++;
        }
        Assert.True(checkedRows > 400, $"only {checkedRows} rows had a name of one sex");
        Assert.Equal(0, disagree);
    }

    [Fact]
    public void Chinook_customer_emails_are_made_from_the_rows_fake_name_and_addresses_from_the_rows_country()
    {
        var synthetic = Synthesize("chinook", "Customer.csv", 300);
        int emails = 0, fromName = 0, canadian = 0, canadianPostcodes = 0, canadianStates = 0, provinces = 0, brazilianPhones = 0, brazilTelephoneLike = 0;
        // Canada's provinces and territories as the real table writes them (QC, ON, AB…), and as a Canadian fake address must.
        string[] canadianProvinces = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"];
        for (int r = 0; r < synthetic.RowCount; r++)
        {
            if (synthetic["Email"].FormatValue(r) is { } email && synthetic["FirstName"].FormatValue(r) is { } first
                && synthetic["LastName"].FormatValue(r) is { } last)
            {
                emails++;
                string local = email[..email.IndexOf('@')];
                if (local.Contains(FakePeople.Normalize(last), StringComparison.Ordinal) || local.StartsWith(FakePeople.Normalize(first)[0])) fromName++;
            }
            if (synthetic["Country"].FormatValue(r) == "Canada" && synthetic["PostalCode"].FormatValue(r) is { } postcode)
            {
                canadian++;
                // Canada's postcodes are letter-digit-letter space digit-letter-digit (H2G 1A7), unlike the US default's digits.
                if (System.Text.RegularExpressions.Regex.IsMatch(postcode, "^[A-Z][0-9][A-Z] [0-9][A-Z][0-9]$")) canadianPostcodes++;
            }
            if (synthetic["Country"].FormatValue(r) == "Canada" && synthetic["State"].FormatValue(r) is { } state)
            {
                canadianStates++;
                if (canadianProvinces.Contains(state)) provinces++;
            }
            if (synthetic["Country"].FormatValue(r) == "Brazil" && synthetic["Phone"].FormatValue(r) is { } phone)
            {
                brazilianPhones++;
                // Brazilian numbers have a two-digit area code, "(11) 3055-3278", never the US default's "x123" extensions.
                if (System.Text.RegularExpressions.Regex.IsMatch(phone, @"^(\+55 )?\(\d{2}\) \d{4,5}-\d{4}$")) brazilTelephoneLike++;
            }
        }
        Assert.True(emails > 250, $"only {emails} rows had an e-mail and a name");
        Assert.Equal(emails, fromName);
        Assert.True(canadian > 10, $"only {canadian} Canadian rows");
        Assert.Equal(canadian, canadianPostcodes);
        Assert.True(canadianStates > 5, $"only {canadianStates} Canadian rows with a state");
        Assert.Equal(canadianStates, provinces);
        Assert.True(brazilianPhones > 5, $"only {brazilianPhones} Brazilian rows with a phone");
        Assert.Equal(brazilianPhones, brazilTelephoneLike);
    }

    [Theory]
    [InlineData(new[] { "1", "2" }, true)]
    [InlineData(new[] { "1", "2", "0" }, true)]
    [InlineData(new[] { "0", "1" }, false)]      // 0/1 says nothing about which is which
    [InlineData(new[] { "male", "female" }, true)]
    [InlineData(new[] { "M", "F", "U" }, true)]
    [InlineData(new[] { "A91", "A92" }, false)]  // german_credit's personal_status_sex codes
    [InlineData(new[] { "cauc", "other" }, false)]
    public void Sex_labels_are_read_only_when_every_label_is_a_sex_word_or_an_ISO_5218_code(string[] labels, bool readable) =>
        Assert.Equal(readable, RowTraits.SexOfLabels(labels) is not null);
}
