using TabTwin.Randomness;
using TabTwin.Schema.Relational;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.MultiTable;

/// <summary>
/// A fitted database model: one model per table plus how the tables' keys are rebuilt. Immutable; <see cref="Sample"/>
/// is thread-safe and deterministic (the same seed gives identical tables on any thread count). Every foreign key of a
/// sampled database resolves to a row of its parent table.
/// </summary>
public sealed class MultiTableModel
{
    private readonly TablePlan[] _plans;
    private readonly ISynthesizerModel?[] _models;

    internal MultiTableModel(DatabaseMetadata metadata, IReadOnlyList<TablePlan> plans, IReadOnlyList<ISynthesizerModel?> models)
    {
        Metadata = metadata;
        _plans = [.. plans];
        _models = [.. models];
    }

    /// <summary>The database's tables, keys and foreign keys.</summary>
    public DatabaseMetadata Metadata { get; }

    internal IReadOnlyList<TablePlan> Plans => _plans;
    internal IReadOnlyList<ISynthesizerModel?> Models => _models;

    /// <summary>The fitted model of one table (null when the table holds only keys); its extra columns (<c>@n…</c> children counts, <c>@p.…</c>/<c>@r….…</c> joined parent columns) are internal to the database model.</summary>
    public ISynthesizerModel? TableModel(string table)
    {
        int i = Array.FindIndex(_plans, p => p.Table == table);
        return i >= 0 ? _models[i] : throw new ArgumentException($"The model has no table '{table}'; it has: {string.Join(", ", Metadata.Tables)}.", nameof(table));
    }

    /// <summary>
    /// Saves the whole database model as one model file (zip + manifest + SHA-256 of every entry, as single-table model
    /// files; written atomically). It holds what every table's model learned: protect it like the data.
    /// </summary>
    public void Save(string path) => MultiTableFormat.Save(this, path);

    /// <summary>Loads a database model file; damage, tampering or a single-table model file is a <see cref="ModelFileException"/>.</summary>
    public static MultiTableModel Load(string path) => MultiTableFormat.Load(path);

    /// <summary>
    /// A synthetic database of the same shape: root tables get <paramref name="scale"/> times their real rows, every
    /// child table follows its sampled children-per-parent counts. Thread-safe; the same seed gives identical data.
    /// </summary>
    public RelationalData Sample(double scale = 1, ulong seed = 0, SampleContext? context = null)
    {
        if (!(scale >= 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), $"The scale must be a finite number ≥ 0 (got {scale}).");
        context ??= new SampleContext();
        var done = new Dictionary<string, (Table Model, Table Output)>(StringComparer.Ordinal);
        for (int t = 0; t < _plans.Length; t++)
        {
            context.Cancel.ThrowIfCancellationRequested();
            context.Progress?.Report(new StepProgress($"sample {_plans[t].Table}", t / (double)_plans.Length));
            var inner = context with { Progress = null };
            done[_plans[t].Table] = new TableSampler(Metadata, _plans[t], _models[t], done, scale, SeededRandom.Derive(seed, (ulong)t), inner).Sample();
        }
        context.Progress?.Report(new StepProgress("sample", 1));
        return new RelationalData(Metadata, done.ToDictionary(p => p.Key, p => p.Value.Output, StringComparer.Ordinal));
    }
}
