using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Schema;

/// <summary>
/// inspect over every real file: the full list of columns detected as pii, id or text, with their types. Reviewed by
/// hand (each entry checked against the data) and kept here, so any change in what gets replaced, regenerated or
/// modelled as free text shows up as a diff. Columns not listed are numerical, categorical, boolean or datetime.
/// Notes from the review: cities and postal codes are pii only beside a street address (chinook Customer, Employee,
/// Invoice); elsewhere (baseball birthCity, kc_house zipcode) they are modelled as categories. Unique short codes
/// (tailnum, faa, carrier) are keys. berka's yyMMdd dates (card.issued, loan.date) are dates.
/// It reads the full files of the optional large data (../shared/datasets), so it is a LargeData test, skipped with the
/// reason when that folder is absent.
/// </summary>
public sealed class InspectEveryDatasetTests
{
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["abalone/abalone.csv"] = "",
        ["adult/adult.csv"] = "",
        ["adult/adult_test.csv"] = "",
        ["airbnb_nyc_2019/AB_NYC_2019.csv"] = "id=id; name=text; host_name=pii(first_name)",
        ["bank_marketing/bank_full.csv"] = "",
        ["beijing_pm25/beijing_pm25.csv"] = "No=id",
        ["berka_financial/account.csv"] = "account_id=id",
        ["berka_financial/card.csv"] = "card_id=id; disp_id=id",
        ["berka_financial/client.csv"] = "client_id=id",
        ["berka_financial/disp.csv"] = "disp_id=id; client_id=id",
        ["berka_financial/district.csv"] = "A1=id; A2=text",
        ["berka_financial/loan.csv"] = "loan_id=id; account_id=id",
        ["berka_financial/order.csv"] = "order_id=id",
        ["berka_financial/trans.csv"] = "trans_id=id",
        ["california_housing/california_housing.csv"] = "",
        ["cdnow/cdnow_master.csv"] = "",
        ["chinook/Album.csv"] = "AlbumId=id; Title=text",
        ["chinook/Artist.csv"] = "ArtistId=id; Name=text",
        ["chinook/Customer.csv"] = "CustomerId=id; FirstName=pii(first_name); LastName=pii(last_name); Company=pii(company); Address=pii(street_address); City=pii(city); State=pii(state); PostalCode=pii(postal_code); Phone=pii(phone); Fax=pii(phone); Email=pii(email)",
        ["chinook/Employee.csv"] = "EmployeeId=id; LastName=pii(last_name); FirstName=pii(first_name); Address=pii(street_address); City=pii(city); State=pii(state); PostalCode=pii(postal_code); Phone=pii(phone); Fax=pii(phone); Email=pii(email)",
        ["chinook/Genre.csv"] = "GenreId=id; Name=text",
        ["chinook/Invoice.csv"] = "InvoiceId=id; BillingAddress=pii(street_address); BillingCity=pii(city); BillingState=pii(state); BillingPostalCode=pii(postal_code)",
        ["chinook/InvoiceLine.csv"] = "InvoiceLineId=id",
        ["chinook/MediaType.csv"] = "MediaTypeId=id",
        ["chinook/Playlist.csv"] = "PlaylistId=id",
        ["chinook/PlaylistTrack.csv"] = "",
        ["chinook/Track.csv"] = "TrackId=id; Name=text",
        ["covertype/covertype_20k.csv"] = "",
        ["credit_default_taiwan/credit_default_taiwan.csv"] = "ID=id",
        ["diabetes_130_us_hospitals/admission_source.csv"] = "admission_source_id=id; description=text",
        ["diabetes_130_us_hospitals/admission_type.csv"] = "admission_type_id=id",
        ["diabetes_130_us_hospitals/diabetic_data_50k.csv"] = "encounter_id=id",
        ["diabetes_130_us_hospitals/discharge_disposition.csv"] = "discharge_disposition_id=id; description=text",
        ["german_credit/german_credit.csv"] = "",
        ["insurance/insurance.csv"] = "",
        ["kc_house_sales/kc_house_data.csv"] = "",
        ["lahman_baseball/AllstarFull.csv"] = "",
        ["lahman_baseball/BattingPost.csv"] = "",
        ["lahman_baseball/HallOfFame.csv"] = "",
        ["lahman_baseball/Managers.csv"] = "",
        ["lahman_baseball/People.csv"] = "playerID=id; nameFirst=pii(first_name); nameLast=pii(last_name); nameGiven=pii(first_name); retroID=id; bbrefID=id",
        ["lahman_baseball/Salaries.csv"] = "",
        ["lahman_baseball/Teams.csv"] = "",
        ["lahman_baseball/TeamsFranchises.csv"] = "franchID=id; franchName=text",
        ["magic_gamma_telescope/magic04.csv"] = "",
        ["nyc_taxis/taxis.csv"] = "",
        ["nycflights13/airlines.csv"] = "carrier=id",
        ["nycflights13/airports.csv"] = "faa=id; name=text",
        ["nycflights13/flights.csv"] = "",
        ["nycflights13/planes.csv"] = "tailnum=id",
        ["nycflights13/weather.csv"] = "",
        ["online_shoppers/online_shoppers_intention.csv"] = "",
        ["penguins/penguins.csv"] = "",
        ["penguins/penguins_raw.csv"] = "Individual ID=text",
        ["sp500_stocks/stocks_ohlcv.csv"] = "",
        ["titanic/titanic3.csv"] = "name=pii(person_name); ticket=text; cabin=text",
        ["wine_quality/wine_quality.csv"] = "",
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Expected.Keys) data.Add(file);
        return data;
    }

    [SkippableTheory, Trait("Category", TestData.LargeData)]
    [MemberData(nameof(Files))]
    public void Detected_pii_id_and_text_columns_are_the_reviewed_ones(string file)
    {
        var parts = file.Split('/');
        var schema = SchemaDetector.Detect(TableReader.Read(TestData.LargeDataset(parts[0], parts[1])));
        var actual = string.Join("; ", schema.Columns.Where(c => c.Kind is ColumnKind.Pii or ColumnKind.Id or ColumnKind.Text)
            .Select(c => $"{c.Name}={c.KindLabel}"));
        Assert.Equal(Expected[file], actual);
    }

    [SkippableFact, Trait("Category", TestData.LargeData)]
    public void Every_shared_dataset_file_has_a_reviewed_entry()
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(TestData.LargeDataset("adult", "adult.csv")))!;
        var files = Directory.GetFiles(root, "*.csv", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal);
        Assert.Equal(files, Expected.Keys.Order(StringComparer.Ordinal));
    }
}
