using System.Collections.Immutable;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Bundles;
using TabTwin.Randomness;

namespace TabTwin.Encoding;

/// <summary>
/// Turns a table into synthesizer-ready columns and back. <see cref="Fit"/> learns one
/// <see cref="ColumnEncoderState"/> per schema column (immutable, JSON-serializable); <see cref="Encode"/>
/// gives the modelled columns (continuous doubles or discrete codes); <see cref="Decode(EncodedTable, ulong)"/> rebuilds every
/// schema column with the source's storage type, formats, precision and ranges, generating id/pii columns.
/// The fitted state holds information from the training data (kept categories and their counts, ranges,
/// frequent text values): protect it like the data.
/// </summary>
internal sealed class TableEncoding
{
    private const int DocumentVersion = 1;

    private TableEncoding(TableSchema schema, EncodingOptions options, ImmutableArray<ColumnEncoderState> columns)
    {
        Schema = schema;
        Options = options;
        Columns = columns;
        Modelled = columns.Where(c => c.IsModelled).ToImmutableArray();
    }

    public TableSchema Schema { get; }
    public EncodingOptions Options { get; }
    /// <summary>One state per schema column, in schema order.</summary>
    public ImmutableArray<ColumnEncoderState> Columns { get; }
    /// <summary>The states of the columns that appear in an <see cref="EncodedTable"/>, in schema order.</summary>
    public ImmutableArray<ColumnEncoderState> Modelled { get; }

    /// <summary>
    /// Learns the encoding of <paramref name="table"/> under <paramref name="schema"/>. Throws a
    /// <see cref="SchemaException"/> for an empty table (<c>table.empty</c>), a schema that does not describe
    /// the table, a column missing in every row (<c>column.all-missing</c>) or data unsuitable for its kind
    /// (<c>column.kind-unsuitable</c>). <paramref name="warning"/> is told what the encoding changed on purpose (a
    /// column's categories capped at <see cref="EncodingOptions.MaxCategories"/>).
    /// </summary>
    public static TableEncoding Fit(Table table, TableSchema schema, EncodingOptions? options = null, Action<string>? warning = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new EncodingOptions();
        options.Check();
        schema = schema with { Columns = schema.Columns.ToArray() }; // a private copy: callers may mutate their list later
        schema.Validate(table);
        if (table.RowCount == 0) throw EncodingErrors.EmptyTable();

        var states = ImmutableArray.CreateBuilder<ColumnEncoderState>(schema.Columns.Count);
        foreach (var cs in schema.Columns)
        {
            var column = table[cs.Name];
            if (column.MissingCount == column.Length) throw EncodingErrors.AllMissing(cs.Name, table.RowCount);
            states.Add(FitColumn(column, cs, schema, options, warning));
        }
        return new TableEncoding(schema, options, states.MoveToImmutable());
    }

    private static int TailRows(string column, EncodingOptions options) =>
        options.UnclippedColumns?.Contains(column) == true ? 1 : options.MinTailRows;

    /// <summary>The one table from column kind to encoder.</summary>
    private static ColumnEncoderState FitColumn(Column column, ColumnSchema cs, TableSchema schema, EncodingOptions options, Action<string>? warning) => cs.Kind switch
    {
        ColumnKind.Numerical => NumericalEncoderState.Fit((NumericColumn)column, cs.KindLabel, TailRows(cs.Name, options)),
        ColumnKind.Datetime => DatetimeEncoderState.Fit((DateTimeColumn)column, cs.Format, TailRows(cs.Name, options)),
        ColumnKind.Categorical => CategoricalEncoderState.Fit(column, options, warning),
        ColumnKind.Boolean => BooleanEncoderState.Fit(column, cs.KindLabel),
        ColumnKind.Text => TextEncoderState.Fit(column, options),
        ColumnKind.Id => IdEncoderState.Fit(column),
        ColumnKind.Pii => PiiEncoderState.Fit(column, cs.Pii ?? throw new SchemaException("schema.pii-type",
            $"Column '{cs.Name}' is kind 'pii' but names no 'pii' type (e.g. \"pii\": \"email\").", column: cs.Name), schema.Locale),
        _ => throw new ArgumentException($"Column '{cs.Name}' has unknown kind {cs.Kind}."),
    };

    /// <summary>The modelled columns of <paramref name="table"/> (found by name), in schema order.</summary>
    public EncodedTable Encode(Table table) => EncodeRows(table, unseenAllowed: false);

    /// <summary>Encodes rows the encoding was not fitted on (see <see cref="ColumnEncoderState.EncodeUnseen"/>).</summary>
    internal EncodedTable EncodeUnseen(Table table) => EncodeRows(table, unseenAllowed: true);

    private EncodedTable EncodeRows(Table table, bool unseenAllowed)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = new EncodedColumn[Modelled.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            var column = table[Modelled[i].Name];
            columns[i] = unseenAllowed ? Modelled[i].EncodeUnseen(column) : Modelled[i].Encode(column);
        }
        return new EncodedTable(columns, table.RowCount);
    }

    /// <summary>
    /// All schema columns in schema order, rebuilt from <paramref name="encoded"/> (which must have the shape
    /// <see cref="Encode"/> produces). Every random choice (rare buckets, generated text, offsets, ids, pii)
    /// comes from <paramref name="seed"/>, one derived stream per column. Runs on the calling thread.
    /// </summary>
    public Table Decode(EncodedTable encoded, ulong seed) => Decode(encoded, seed, maxThreads: 1);

    /// <summary>
    /// Like <see cref="Decode(EncodedTable, ulong)"/>, decoding columns in parallel on up to
    /// <paramref name="maxThreads"/> threads (null = all cores). Each column has its own random stream, so the
    /// result is identical for any thread count.
    /// </summary>
    public Table Decode(EncodedTable encoded, ulong seed, int? maxThreads) => Decode(encoded, seed, maxThreads, precise: null);

    /// <summary>
    /// Like <see cref="Decode(EncodedTable, ulong, int?)"/>; the columns named in <paramref name="precise"/> are rounded
    /// to their finest decimal only (no learned granularity), so a value a conditional sampler placed inside a
    /// condition's range stays there.
    /// </summary>
    internal Table Decode(EncodedTable encoded, ulong seed, int? maxThreads, IReadOnlySet<string>? precise)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (maxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(maxThreads), "maxThreads must be at least 1 (or null for all cores).");
        CheckShape(encoded);
        var sources = new EncodedColumn?[Columns.Length];
        for (int i = 0, m = 0; i < Columns.Length; i++) sources[i] = Columns[i].IsModelled ? encoded.Columns[m++] : null;
        var columns = new Column[Columns.Length];
        var preciseOptions = Options with { KeepGranularity = false };
        void DecodeColumn(int i) => columns[i] = Columns[i].Decode(sources[i], encoded.RowCount,
            precise?.Contains(Columns[i].Name) == true ? preciseOptions : Options, SeededRandom.Derive(seed, (ulong)i));
        if (maxThreads == 1) for (int i = 0; i < columns.Length; i++) DecodeColumn(i);
        else Parallel.For(0, columns.Length, new ParallelOptions { MaxDegreeOfParallelism = maxThreads ?? -1 }, DecodeColumn);
        // One fake person and one fake address per row, agreeing with the row's sex and country columns.
        RowConsistentFakes.Apply(Columns, columns, seed, i => SeededRandom.Derive(seed, (ulong)i));
        return new Table(columns);
    }

    private void CheckShape(EncodedTable encoded)
    {
        if (encoded.Columns.Count != Modelled.Length)
            throw new ArgumentException($"The encoded table has {encoded.Columns.Count} columns; this encoding models {Modelled.Length}.");
        for (int i = 0; i < Modelled.Length; i++)
        {
            var (state, col) = (Modelled[i], encoded.Columns[i]);
            if (col.Name != state.Name || col.Kind != state.EncodedKind || (col.Kind == EncodedKind.Discrete && col.Cardinality != state.Cardinality))
                throw new ArgumentException(
                    $"Encoded column {i} is '{col.Name}' ({col.Kind}, {col.Cardinality} codes); expected '{state.Name}' ({state.EncodedKind}, {state.Cardinality} codes).");
        }
    }

    /// <summary>Writes the options, schema and every column state as one JSON bundle entry named <paramref name="prefix"/>.</summary>
    public void Write(ModelBundleWriter bundle, string prefix = "encoding")
    {
        ArgumentNullException.ThrowIfNull(bundle);
        bundle.WriteJson(prefix, new EncodingDocument(DocumentVersion, Options, Schema, Columns.ToArray()), EncodingJson.Options);
    }

    /// <summary>Reads what <see cref="Write"/> wrote; inconsistencies are <see cref="ModelFileException"/>s (<c>model.bad-entry</c>).</summary>
    public static TableEncoding Read(ModelBundleReader bundle, string prefix = "encoding")
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var doc = bundle.ReadJson<EncodingDocument>(prefix, EncodingJson.Options);
        ModelFileException Bad(string what) => new("model.bad-entry", $"Model entry '{prefix}': {what}.", bundle.File);
        if (doc.Version > DocumentVersion) throw Bad($"encoding version {doc.Version} is newer than this TabTwin reads ({DocumentVersion})");
        if (doc.Options is null || doc.Schema is null || doc.Columns is null) throw Bad("options, schema or columns are missing");
        if (doc.Columns.Length != doc.Schema.Columns.Count || doc.Columns.Any(c => c is null)
            || !doc.Columns.Select(c => c.Name).SequenceEqual(doc.Schema.Columns.Select(c => c.Name)))
            throw Bad("the column states do not match the schema's columns");
        try { doc.Options.Check(); }
        catch (ArgumentException e) { throw Bad(e.Message); }
        foreach (var column in doc.Columns)
            if (column.Problem() is { } problem) throw Bad($"column '{column.Name}': {problem}");
        return new TableEncoding(doc.Schema, doc.Options, doc.Columns.ToImmutableArray());
    }

    private sealed record EncodingDocument(int Version, EncodingOptions Options, TableSchema Schema, ColumnEncoderState[] Columns);
}
