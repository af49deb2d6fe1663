using System.Text.Json.Serialization;
using TabTwin.Bundles;
using TabTwin.Models;
using TabTwin.Registry;
using TabTwin.Schema;
using TabTwin.Schema.Relational;
using TabTwin.Synthesizers;

namespace TabTwin.MultiTable;

/// <summary>
/// One model file for a whole database, in the format of single-table model files (zip, manifest with every entry's
/// SHA-256, no type names): the entry <c>database</c> holds the tables, keys and per-table plans; each table's model is
/// stored under the prefix <c>t{i}.</c> and read back by its registry name only.
/// </summary>
internal static class MultiTableFormat
{
    public const string Kind = "multitable";
    private const string Entry = "database";
    private const int MaxTables = 10_000;

    private sealed record ForeignKeyEntry(
        [property: JsonPropertyName("child")] string Child, [property: JsonPropertyName("childColumns")] string[] ChildColumns,
        [property: JsonPropertyName("parent")] string Parent, [property: JsonPropertyName("parentColumns")] string[] ParentColumns);

    private sealed record Database(
        [property: JsonPropertyName("tables")] string[] Tables,
        [property: JsonPropertyName("primaryKeys")] Dictionary<string, string[]> PrimaryKeys,
        [property: JsonPropertyName("foreignKeys")] ForeignKeyEntry[] ForeignKeys,
        [property: JsonPropertyName("plans")] TablePlan[] Plans);

    public static void Save(MultiTableModel model, string path)
    {
        var bundle = new ModelBundleWriter();
        var m = model.Metadata;
        bundle.WriteJson(Entry, new Database([.. m.Tables], m.PrimaryKeys.ToDictionary(p => p.Key, p => p.Value.ToArray()),
            [.. m.ForeignKeys.Select(f => new ForeignKeyEntry(f.ChildTable, [.. f.ChildColumns], f.ParentTable, [.. f.ParentColumns]))], [.. model.Plans]));
        for (int i = 0; i < model.Models.Count; i++)
        {
            if (model.Models[i] is not { } table) continue;
            var inner = new ModelBundleWriter();
            table.Write(inner);
            bundle.AddPrefixed($"t{i}.", inner);
        }
        ModelFile.SaveBundle(Kind, new TableSchema { Columns = [] }, bundle, path);
    }

    public static MultiTableModel Load(string path) => ModelFile.LoadBundle(path, Kind, bundle =>
    {
        var db = bundle.ReadJson<Database>(Entry);
        if (db.Tables is null || db.Plans is null || db.PrimaryKeys is null || db.ForeignKeys is null || db.Tables.Length > MaxTables || db.Plans.Length != db.Tables.Length)
            throw new ModelFileException("model.bad-entry", "The database entry of the model file is incomplete.", bundle.File);
        var metadata = new DatabaseMetadata(db.Tables, db.PrimaryKeys.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value),
            db.ForeignKeys.Select(f => new ForeignKey(f.Child, f.ChildColumns, f.Parent, f.ParentColumns)));
        var models = new ISynthesizerModel?[db.Plans.Length];
        for (int i = 0; i < models.Length; i++)
            if (db.Plans[i].Synthesizer is { } name)
                models[i] = (SynthesizerRegistry.TryGet(name, out var entry) ? entry : throw new ModelFileException("model.unknown-synthesizer",
                    $"Table '{db.Plans[i].Table}' was fitted with synthesizer '{TabTwinException.Clip(name)}', which this TabTwin does not know.", bundle.File)).Read(bundle.WithPrefix($"t{i}."));
        return new MultiTableModel(metadata, db.Plans, models);
    });
}
