using TabTwin.IO;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Evaluation.Sequences;

/// <summary>The in-repo sequence tables with their schemas, and the splits and fakes the sequence-evaluation tests compare.</summary>
public static class SequenceTables
{
    private static readonly Lazy<(Table, TableSchema)> Stocks = new(() => Load("sp500_stocks", "stocks_ohlcv.csv", "ticker"));
    private static readonly Lazy<(Table, TableSchema)> Cdnow = new(() => Load("cdnow", "cdnow_master.csv", "customer_id"));

    public static (Table Table, TableSchema Schema) Sp500 => Stocks.Value;
    public static (Table Table, TableSchema Schema) CustomerPurchases => Cdnow.Value;

    private static (Table, TableSchema) Load(string dataset, string file, string entity)
    {
        var table = TableReader.Read(TestData.Dataset(dataset, file));
        var schema = SchemaDetector.Detect(table) with { Sequence = new SequenceSpec { Entity = entity, Order = "date" } };
        return (table, schema);
    }

    /// <summary>The table's entities split in two by a seeded shuffle of the entities (every row of an entity goes to one side).</summary>
    public static (Table First, Table Second) SplitEntities(Table table, SequenceSpec spec, ulong seed) =>
        TabTwin.Sequences.SequenceModel.SplitEntities(table, spec, 0.5, SeededRandom.Derive(seed, 1));

    /// <summary>
    /// A "flat" synthesis: every column but the entity permuted independently over the whole table, so each column keeps its
    /// values (and each entity its length) but no step follows from the one before and dates land anywhere.
    /// </summary>
    public static Table Flat(Table table, string entity, ulong seed)
    {
        var columns = table.Columns.Select((c, k) =>
        {
            if (c.Name == entity) return c;
            var rows = Enumerable.Range(0, table.RowCount).ToArray();
            var rng = SeededRandom.For(seed, 100 + (ulong)k);
            for (int i = rows.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (rows[i], rows[j]) = (rows[j], rows[i]); }
            return c.Take(rows);
        });
        return new Table(columns);
    }
}
