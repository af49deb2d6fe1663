using System.IO.Compression;
using TabTwin.Models;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit.Abstractions;

namespace TabTwin.Tests.Encoding;

/// <summary>
/// Issue 15, item 4: a 10,000-category column (20,000 rows) made ctgan grow past 11.7 GB. The encoding keeps the
/// 2,000 most frequent categories (EncodingOptions.MaxCategories) and pools the rest into the rare bucket, which is never
/// emitted literally, for every synthesizer. Allocation is measured, not time.
/// </summary>
[Collection(RunsAlone.Name)] // it reads the process-wide allocation counter
public class HighCardinalityMemoryTests(ITestOutputHelper output)
{
    private const int Rows = 20_000, Categories = 10_000;

    /// <summary>20,000 rows over 10,000 categories with falling frequencies (C00000 most frequent), and a linked amount.</summary>
    private static (Table, TableSchema) Table()
    {
        var codes = new int[Rows];
        var amount = new double[Rows];
        for (int i = 0; i < Rows; i++)
        {
            codes[i] = i < Categories ? i : (int)((long)(i - Categories) * (i - Categories) % 3000); // every category once, the first 3,000 again
            amount[i] = codes[i] % 100 + i % 7;
        }
        var names = Enumerable.Range(0, Categories).Select(c => $"C{c:00000}").ToArray();
        return (new Table([new CategoricalColumn("code", codes, names), new NumericColumn("amount", amount)]), new TableSchema
        {
            Columns = [new ColumnSchema { Name = "code", Kind = ColumnKind.Categorical }, new ColumnSchema { Name = "amount", Kind = ColumnKind.Numerical }],
        });
    }

    [Fact]
    public void Ten_thousand_categories_keep_the_two_thousand_most_frequent_and_record_the_pooling()
    {
        var (table, schema) = Table();
        // Every category is kept by the rare rule here (threshold 1), so the cap alone decides what is pooled.
        var model = SynthesizerCatalog.Independent(new() { Encoding = new() { RareCategoryThreshold = 1 } }).Fit(table, schema, new FitContext(Seed: 1));
        var sampled = ((CategoricalColumn)model.Sample(5_000, 2)["code"]).Categories.ToHashSet();
        var counts = ((CategoricalColumn)table["code"]).CountPerCategory();
        var kept = Enumerable.Range(0, Categories).OrderByDescending(c => counts[c]).ThenBy(c => c).Take(2_000).Select(c => $"C{c:00000}").ToHashSet();
        Assert.True(sampled.Count <= 2_000, $"{sampled.Count} categories in the output");
        using var ms = new MemoryStream();
        ModelFile.Save(model, ms);
        using var zip = new ZipArchive(new MemoryStream(ms.ToArray()));
        using var reader = new StreamReader(zip.GetEntry("encoding.json")!.Open());
        Assert.Contains("\"pooledCategories\":8000", reader.ReadToEnd());
        var emitted = ((CategoricalColumn)model.Sample(5_000, 3)["code"]);
        Assert.All(Enumerable.Range(0, emitted.Length).Where(i => !emitted.IsMissing(i)).Select(i => emitted.Categories[emitted.Codes[i]]),
            c => Assert.Contains(c, kept));
    }

    [Fact]
    public void Ctgan_on_ten_thousand_categories_allocates_within_its_bound()
    {
        // Stated bound: 4 GiB allocated in all (summed over the run, not resident; measured 3.1 GiB) for 20,000 rows ×
        // (2,000 kept categories + 1 number), 1 epoch. Uncapped, the one-hot data alone is 20,000 × 10,000 floats = 800 MB
        // per copy, and every batch's conditional vectors are five times wider.
        const long bound = 4L << 30;
        var (table, schema) = Table();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var model = SynthesizerCatalog.Ctgan(new() { Epochs = 1, BatchSize = 500, EmbeddingDim = 16, GeneratorDim = [32], DiscriminatorDim = [32], MaxThreads = 1 })
            .Fit(table, schema, new FitContext(Seed: 1) { MaxThreads = 1 });
        model.Sample(1_000, 1, new SampleContext { MaxThreads = 1 });
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"allocated {allocated / (1 << 20):N0} MiB");
        Assert.True(allocated < bound, $"allocated {allocated:N0} bytes; the bound is {bound:N0}");
    }
}
