using TabTwin.Schema.Relational;

namespace TabTwin.Tests.Relational;

public sealed class DatabaseMetadataTests
{
    private static DatabaseMetadata Chinook(params string[] extraKeys) => new(
        ["InvoiceLine", "Invoice", "Customer", "Employee", "Track"],
        new Dictionary<string, IReadOnlyList<string>> { ["Invoice"] = ["InvoiceId"], ["Customer"] = ["CustomerId"], ["Employee"] = ["EmployeeId"] },
        [.. new[] { "InvoiceLine.InvoiceId -> Invoice.InvoiceId", "Invoice.CustomerId -> Customer.CustomerId",
            "Customer.SupportRepId -> Employee.EmployeeId", "Employee.ReportsTo -> Employee.EmployeeId",
            "InvoiceLine.TrackId -> Track.TrackId" }.Concat(extraKeys).Select(ForeignKey.Parse)]);

    [Fact]
    public void Parents_come_before_children_and_a_self_reference_is_not_a_cycle()
    {
        var order = Chinook().ParentsFirst;
        Assert.Equal(["Employee", "Customer", "Invoice", "Track", "InvoiceLine"], order);
    }

    [Fact]
    public void A_cycle_between_tables_is_refused_naming_them()
    {
        var e = Assert.Throws<SchemaException>(() => Chinook("Employee.FavouriteInvoice -> Invoice.InvoiceId"));
        Assert.Equal("relational.cycle", e.Code);
        Assert.Contains("'Employee'", e.Message);
        Assert.Contains("'Invoice'", e.Message);
    }

    [Fact]
    public void Composite_keys_parse_in_order_and_mismatched_arity_is_an_error()
    {
        var fk = ForeignKey.Parse("Salaries.yearID, teamID -> Teams.yearID,teamID");
        Assert.Equal(["yearID", "teamID"], fk.ChildColumns);
        Assert.True(fk.IsComposite);
        Assert.Equal("relational.key-arity", Assert.Throws<SchemaException>(() => ForeignKey.Parse("A.x,y -> B.z")).Code);
        Assert.Equal("relational.bad-foreign-key", Assert.Throws<SchemaException>(() => ForeignKey.Parse("A.x B.z")).Code);
    }

    [Fact]
    public void A_key_naming_an_unknown_table_is_refused()
    {
        var e = Assert.Throws<SchemaException>(() => Chinook("Invoice.ShopId -> Shop.ShopId"));
        Assert.Equal("relational.unknown-table", e.Code);
        Assert.Contains("'Shop'", e.Message);
    }
}
