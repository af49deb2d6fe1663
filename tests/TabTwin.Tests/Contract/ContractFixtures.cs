using System.Collections.Concurrent;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Contract;

/// <summary>The real and hand-built training tables of the contract suite, and fitted models cached per (synthesizer, table).</summary>
public static class ContractFixtures
{
    public const string Adult = "adult";
    public const string Mixed = "mixed";

    private static readonly Lazy<(Table, TableSchema)> MixedTable = new(() => SampleTables.Mixed(600));
    private static readonly ConcurrentDictionary<(string, string), Lazy<ISynthesizerModel>> Models = new();

    public static (Table Table, TableSchema Schema) TableFor(string which) =>
        which == Adult ? AdultSample.First4000 : MixedTable.Value;

    /// <summary>A model of <paramref name="synthesizer"/> fitted on <paramref name="table"/> with seed 42 (fitted once per test run).</summary>
    public static ISynthesizerModel Fitted(string synthesizer, string table) =>
        Models.GetOrAdd((synthesizer, table), key => new Lazy<ISynthesizerModel>(() =>
        {
            var (t, s) = TableFor(key.Item2);
            return SynthesizerCases.CreateFast(key.Item1).Fit(t, s, new FitContext(Seed: 42));
        })).Value;
}
