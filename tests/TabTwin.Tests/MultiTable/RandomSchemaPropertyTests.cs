using CsCheck;
using TabTwin.MultiTable;
using TabTwin.Randomness;
using TabTwin.Schema.Relational;
using TabTwin.Synthesis;
using TabTwin.Tables;

namespace TabTwin.Tests.MultiTable;

/// <summary>
/// Random databases (depth up to 4, fan-out 0–6 children per parent, one or two foreign keys per table, optional keys
/// with missing values, a self-reference now and then): every sampled database keeps every key intact, and the same
/// seed gives the same tables on one and two threads. Seeded (<c>seed:</c>) so a failure reproduces.
/// </summary>
public sealed class RandomSchemaPropertyTests
{
    private static readonly Gen<RelationalData> Databases = Gen.Select(Gen.Int[2, 5], Gen.ULong).Select((tables, seed) => Build(tables, seed));

    [Fact]
    public void Every_key_resolves_and_the_same_seed_gives_the_same_database()
    {
        Databases.Sample(real =>
        {
            var model = MultiTableSynthesizer.Fit(real, new MultiTableOptions { Seed = 7, PrivacyCheck = PrivacyCheckOptions.Off });
            var one = model.Sample(seed: 3, context: new Synthesizers.SampleContext { MaxThreads = 1 });
            var two = model.Sample(seed: 3, context: new Synthesizers.SampleContext { MaxThreads = 2 });
            Assert.Empty(RelationalSamples.BrokenReferences(one));
            Assert.Empty(RelationalSamples.BrokenPrimaryKeys(one));
            foreach (var t in real.Metadata.Tables) Assert.Equal(ChinookSynthesisTests.Text(one[t]), ChinookSynthesisTests.Text(two[t]));
            var scaled = model.Sample(scale: 0.5, seed: 4);
            Assert.Empty(RelationalSamples.BrokenReferences(scaled));
        }, seed: "0N0XIzNsQ0O2", iter: 20, threads: 1);
    }

    /// <summary>Table i references one or two earlier tables (so depth grows with i); a root has 40–80 rows, children 0–6 per parent.</summary>
    private static RelationalData Build(int tableCount, ulong seed)
    {
        var random = new SeededRandom(seed);
        var tables = new Dictionary<string, Table>();
        var keys = new Dictionary<string, IReadOnlyList<string>>();
        var fks = new List<ForeignKey>();
        for (int t = 0; t < tableCount; t++)
        {
            string name = $"t{t}";
            var parents = t == 0 ? [] : Enumerable.Range(0, 1 + random.NextInt(Math.Min(2, t))).Select(_ => random.NextInt(t)).Distinct().ToArray();
            int rows;
            var links = new List<(string Column, int[] Rows)>();
            if (parents.Length == 0) rows = 40 + random.NextInt(41);
            else
            {
                // Children per row of the first parent, the other parents drawn at random; a key is optional one time in three.
                var first = new List<int>();
                for (int p = 0; p < tables[$"t{parents[0]}"].RowCount; p++) for (int k = random.NextInt(7); k > 0; k--) first.Add(p);
                rows = Math.Max(first.Count, 12);
                while (first.Count < rows) first.Add(random.NextInt(tables[$"t{parents[0]}"].RowCount));
                for (int k = 0; k < parents.Length; k++)
                {
                    int parentRows = tables[$"t{parents[k]}"].RowCount;
                    bool optional = random.NextInt(3) == 0;
                    var refs = Enumerable.Range(0, rows).Select(i => optional && random.NextInt(5) == 0 ? -1 : k == 0 ? first[i] : random.NextInt(parentRows)).ToArray();
                    links.Add(($"ref{k}", refs));
                    fks.Add(new ForeignKey(name, $"ref{k}", $"t{parents[k]}", "id"));
                }
            }
            var columns = new List<Column> { new NumericColumn("id", Enumerable.Range(1, rows).Select(i => (double)i).ToArray()) };
            foreach (var (column, refs) in links)
            {
                var values = refs.Select(r => r < 0 ? 0 : r + 1.0).ToArray();
                columns.Add(new NumericColumn(column, values, Bitmask.FromBools(refs.Select(r => r < 0).ToArray()), isInteger: true));
            }
            // A value that depends on the parent (through the key), and a category.
            columns.Add(new NumericColumn("amount", Enumerable.Range(0, rows).Select(i => Math.Round(10 + 3 * random.NextGaussian() + (links.Count > 0 ? links[0].Rows[i] % 5 : 0), 2)).ToArray()));
            columns.Add(CategoricalColumn.FromStrings("kind", Enumerable.Range(0, rows).Select(_ => "abc"[random.NextInt(3)].ToString()).ToArray()));
            if (random.NextInt(4) == 0)
            {
                // A self-reference: each row reports to an earlier one, the first to nobody.
                var boss = Enumerable.Range(0, rows).Select(i => i == 0 ? -1 : random.NextInt(i)).ToArray();
                columns.Add(new NumericColumn("boss", boss.Select(b => b + 1.0).ToArray(), Bitmask.FromBools(boss.Select(b => b < 0).ToArray()), isInteger: true));
                fks.Add(new ForeignKey(name, "boss", name, "id"));
            }
            tables[name] = new Table(columns);
            keys[name] = ["id"];
        }
        return new RelationalData(new DatabaseMetadata(tables.Keys, keys, fks), tables);
    }
}
