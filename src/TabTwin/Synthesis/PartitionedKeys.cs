using TabTwin.Encoding;
using TabTwin.Randomness;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.Ctgan;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Synthesizers.Independent;
using TabTwin.Synthesizers.Private;
using TabTwin.Synthesizers.Tvae;
using TabTwin.Tables;

namespace TabTwin.Synthesis;

/// <summary>
/// The one thing a model's sample depends on beyond its own rows: key (id) columns are distinct only within one
/// <see cref="ISynthesizerModel.Sample"/> call. Partitioned sampling therefore replaces each key column of every chunk
/// with keys of the chunk's global row numbers (<see cref="IdRowKeys"/>), in the format the model learned, so keys never
/// repeat across chunks, parts, shards or machines. Replacing after sampling (rather than inside the model) holds for
/// any model and any wrapper, including a constrained model that draws and rejects extra candidate rows.
/// </summary>
internal sealed class PartitionedKeys
{
    private const ulong KeySalt = 0x1D5EED;
    private readonly (int Index, IdRowKeys Keys, StorageSpec Storage)[] _columns;

    private PartitionedKeys((int, IdRowKeys, StorageSpec)[] columns) => _columns = columns;

    /// <summary>The key columns of <paramref name="model"/> for a run of <paramref name="totalRows"/> rows under <paramref name="seed"/>.</summary>
    /// <exception cref="TabTwinException"><c>sample.parts-unsupported</c> when the model has key columns whose format cannot be found,
    /// or a uniqueness rule on other columns (which chunks sampled apart cannot keep).</exception>
    public static PartitionedKeys For(ISynthesizerModel model, long totalRows, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        var formats = Formats(model);
        var columns = new List<(int, IdRowKeys, StorageSpec)>();
        var names = model.Schema.Columns.Select(c => c.Name).ToList();
        foreach (var c in model.Schema.Columns.Where(c => c.Kind == ColumnKind.Id))
        {
            if (formats?.FirstOrDefault(f => f.Name == c.Name) is not { Format: not null } found)
                throw Unsupported($"the format of its key column '{c.Name}' is not known to partitioned sampling ({model.SynthesizerName} model)");
            int index = names.IndexOf(c.Name);
            columns.Add((index, new IdRowKeys(found.Format, c.Name, totalRows, SeededRandom.Derive(seed, KeySalt, (ulong)index)), found.Storage));
        }
        return new PartitionedKeys([.. columns]);
    }

    /// <summary><paramref name="chunk"/> (rows <paramref name="firstRow"/>… of the run) with its key columns replaced by the rows' global keys.</summary>
    public Table Apply(Table chunk, long firstRow)
    {
        if (_columns.Length == 0) return chunk;
        var columns = chunk.Columns.ToArray();
        foreach (var (index, keys, storage) in _columns)
            columns[index] = ColumnStorage.Restore(keys.Generate(firstRow, chunk.RowCount), storage);
        return new Table(columns);
    }

    private static List<(string Name, IdFormat? Format, StorageSpec Storage)>? Formats(ISynthesizerModel model)
    {
        static List<(string, IdFormat?, StorageSpec)> OfEncoding(TableEncoding e) =>
            [.. e.Columns.OfType<IdEncoderState>().Select(s => (s.Name, (IdFormat?)s.Format, s.Storage))];
        static List<(string, IdFormat?, StorageSpec)> OfDomains(DpColumnDomain[] domains) =>
            [.. domains.Where(d => d.Role == DpColumnRole.Id).Select(d => (d.Name, (IdFormat?)IdFormat.Parse(d.IdPattern ?? "num:{seq:0:1:1}"), d.Storage))];
        switch (model)
        {
            case ConstrainedModel constrained:
                var keys = constrained.Schema.Columns.Where(c => c.Kind == ColumnKind.Id).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
                if (constrained.Constraints.OfType<UniqueConstraint>().FirstOrDefault(u => !u.Columns.All(keys.Contains)) is { } unique)
                    throw Unsupported($"its rule '{unique.Describe()}' needs every row at once (rows sampled in separate chunks could repeat)");
                return Formats(constrained.Inner);
            case CartModel m: return OfEncoding(m.Encoding);
            case GaussianCopulaModel m: return OfEncoding(m.Encoding);
            case IndependentModel m: return OfEncoding(m.Encoding);
            case CtganModel m: return OfEncoding(m.Encoding);
            case TvaeModel m: return OfEncoding(m.Encoding);
            case DpMarginalModel m: return OfDomains(m.Domains);
            case DpTvaeModel m: return OfDomains(m.Domains);
            default: return null;
        }
    }

    private static TabTwinException Unsupported(string why) =>
        new("sample.parts-unsupported", $"This model cannot be sampled in parts: {why}.",
            hint: "Sample it into one file (without --parts), or refit it with the key column declared in the metadata.");
}
