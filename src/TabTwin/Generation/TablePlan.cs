using System.Buffers;
using TabTwin.Generation.Sampling;
using TabTwin.Generation.Spec;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Randomness;
using TabTwin.Fakes;

namespace TabTwin.Generation;

/// <summary>
/// One table made ready to generate, and the generation of one chunk of it. Every random draw of a chunk comes from
/// streams derived only from (seed, table, column, chunk index), and keys from the global row number, so a chunk
/// is the same whichever thread makes it, in whatever order, in one run or in a shard.
/// </summary>
internal sealed class TablePlan
{
    /// <summary>Rows per chunk. Part of the output's definition (streams are per chunk): changing it changes the data.</summary>
    public const int ChunkRows = 65536;

    private const ulong ValueSalt = 0x5EED_0001, MissingSalt = 0x5EED_0002, FakeSalt = 0x5EED_0003, PersonSalt = 0x5EED_0004, CopulaSalt = 0x5EED_0005;

    private readonly ColumnPlan[] _plans;
    private readonly int[] _order;
    private readonly IReadOnlyList<string>[] _inputs;
    private readonly CorrelationTarget? _copula;
    private readonly int[] _copulaSlot; // spec column → copula dimension, or -1
    private readonly ulong _tableSeed;
    private readonly ulong[] _columnSalts;
    private readonly string _defaultLocale;
    private readonly ChunkConstraints? _constraints;
    private readonly bool[] _keyed;          // columns that follow the row number (sequence, id, uuid)
    private readonly bool _compactRedraws;   // no formula reads a keyed column, so redraws may skip the rows that passed

    public TablePlan(GenerationSpec spec, TableSpec table, long rows, ulong seed, List<SpecWarning> warnings)
    {
        Table = table;
        Rows = rows;
        var analysis = SpecValidator.Analyze(spec, table, warnings);
        _order = analysis.Order;
        _inputs = analysis.Inputs;
        _copula = analysis.Copula;
        _tableSeed = SeededRandom.Derive(seed, StableHash.Of(table.Name));
        _columnSalts = table.Columns.Select(c => StableHash.Of(c.Name)).ToArray();
        _defaultLocale = table.Locale ?? spec.Locale ?? "en";
        _plans = table.Columns.Select((c, i) => ColumnPlan.Create(c, table, spec, SeededRandom.Derive(_tableSeed, ValueSalt ^ _columnSalts[i]), rows)).ToArray();
        _copulaSlot = Enumerable.Repeat(-1, table.Columns.Count).ToArray();
        if (_copula is not null) for (int k = 0; k < _copula.Columns.Length; k++) _copulaSlot[_copula.Columns[k]] = k;
        CheckLocaleColumns(spec, table);
        _keyed = _plans.Select(p => p is SequencePlan or IdPlan or UuidPlan).ToArray();
        _compactRedraws = !_plans.Select((p, i) => (p, i)).Any(x => x.p is FormulaPlan or ConditionalPlan && _inputs[x.i].Any(name => IndexOf(name) is int k && k >= 0 && _keyed[k]));
        if (table.Constraints is { IsEmpty: false } rules)
        {
            var constraints = new ChunkConstraints(rules, table.Name, spec.SourceFile);
            constraints.Validate(GenerateEmpty(), ChunkCount > 1, name => _plans[IndexOf(name)] is SequencePlan or IdPlan or UuidPlan);
            _constraints = constraints;
        }
    }

    public TableSpec Table { get; }
    public long Rows { get; }
    public long ChunkCount => (Rows + ChunkRows - 1) / ChunkRows;

    /// <summary>Generates chunk <paramref name="chunk"/> (rows chunk·ChunkRows …, at most ChunkRows of them).</summary>
    public Table Generate(long chunk) => Generate(chunk, (int)Math.Min(ChunkRows, Rows - chunk * ChunkRows));

    /// <summary>
    /// Chunk <paramref name="chunk"/> with <paramref name="count"/> rows (a table whose length is not known ahead, e.g. a
    /// child table). <paramref name="adjust"/>(draw, round) rewrites every draw, the first and each constraint redraw,
    /// before the rules are checked, so the rules hold on the adjusted rows; adjusted rows are redrawn in place (no
    /// compact redraws), so a row's result depends only on its own draws and adjustment.
    /// </summary>
    internal Table Generate(long chunk, int count, Func<Table, int, Table>? adjust = null)
    {
        Table Round(int round, int rows)
        {
            var drawn = Draw(chunk, rows, ChunkConstraints.StreamKey(chunk, round));
            return adjust is null ? drawn : adjust(drawn, round);
        }
        if (_constraints is null) return Round(0, count);
        return _constraints.Apply(chunk, (round, rows) => Round(round, rows < 0 ? count : rows), _keyed, _compactRedraws && adjust is null);
    }

    /// <summary>Chunk <paramref name="chunk"/>'s rows from the streams of constraint round <paramref name="round"/> (0 = the chunk's own), rules not applied.</summary>
    internal Table DrawRound(long chunk, int count, int round) => Draw(chunk, count, ChunkConstraints.StreamKey(chunk, round));

    /// <summary>A table with every column and no rows (so an empty output still has its header and schema).</summary>
    public Table GenerateEmpty() => Draw(0, 0, 0);

    /// <summary>
    /// Chunk <paramref name="chunk"/>'s rows drawn from the random streams keyed by <paramref name="stream"/> (the chunk
    /// index itself, or a constraint redraw round's key); keys and sequences follow the row numbers either way.
    /// </summary>
    private Table Draw(long chunk, int count, ulong stream)
    {
        long firstRow = chunk * ChunkRows;
        var columns = new Column[_plans.Length];
        var scores = _copula is null ? null : CorrelatedScores(stream, count);
        var people = new Dictionary<string, FakePeople>(StringComparer.Ordinal);
        try
        {
            foreach (int i in _order)
            {
                var plan = _plans[i];
                var missing = Missing(i, stream, count);
                columns[i] = plan switch
                {
                    UniformPlan u => BuildUniform(u, i, stream, count, scores, missing),
                    ConditionalPlan c => BuildConditional(c, i, stream, count, scores, columns, missing),
                    SequencePlan s => s.Build(firstRow, count, missing),
                    IdPlan id => id.Build(firstRow, count, missing),
                    UuidPlan uu => uu.Build(firstRow, count, missing),
                    FakePlan f => BuildFake(f, i, stream, count, columns, people, missing),
                    FormulaPlan f => f.Build(new Table(Inputs(i, columns)), missing),
                    _ => throw new InvalidOperationException($"Unknown plan {plan.GetType().Name}."),
                };
            }
        }
        finally
        {
            if (scores is not null) foreach (var s in scores) ArrayPool<double>.Shared.Return(s);
        }
        return new Table(columns);
    }

    private IEnumerable<Column> Inputs(int column, Column[] columns) => _inputs[column].Distinct().Select(name => columns[IndexOf(name)]);

    private int IndexOf(string name)
    {
        for (int i = 0; i < Table.Columns.Count; i++) if (Table.Columns[i].Name == name) return i;
        return -1;
    }

    // Uniforms and scores are scratch (pooled): plans read them and keep only the values they make.
    private Column BuildUniform(UniformPlan plan, int column, ulong stream, int count, double[][]? scores, Bitmask missing)
    {
        var z = Scores(column, count, scores);
        if (!plan.NeedsUniforms(!z.IsEmpty)) return plan.Build(default, z, missing);
        var u = ArrayPool<double>.Shared.Rent(count);
        try
        {
            Uniforms(column, stream, z, u.AsSpan(0, count));
            return plan.Build(u.AsSpan(0, count), z, missing);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(u);
        }
    }

    private Column BuildConditional(ConditionalPlan plan, int column, ulong stream, int count, double[][]? scores, Column[] columns, Bitmask missing)
    {
        var u = ArrayPool<double>.Shared.Rent(count);
        try
        {
            Uniforms(column, stream, Scores(column, count, scores), u.AsSpan(0, count));
            return plan.Build(columns[IndexOf(plan.DependsOn)], u.AsSpan(0, count), missing);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(u);
        }
    }

    /// <summary>The column's copula scores, or empty when it is not correlated.</summary>
    private ReadOnlySpan<double> Scores(int column, int count, double[][]? scores) =>
        _copulaSlot[column] is int slot and >= 0 ? scores![slot].AsSpan(0, count) : default;

    /// <summary>The column's uniforms: Φ of its copula scores, or an independent stream.</summary>
    private void Uniforms(int column, ulong stream, ReadOnlySpan<double> z, Span<double> u)
    {
        if (!z.IsEmpty)
        {
            for (int i = 0; i < u.Length; i++) u[i] = FastNormal.Cdf(z[i]);
            return;
        }
        var rng = new SeededRandom(SeededRandom.Derive(_tableSeed, ValueSalt ^ _columnSalts[column], stream));
        for (int i = 0; i < u.Length; i++) u[i] = rng.NextOpenUnit();
    }

    /// <summary>Correlated standard normals per copula dimension (pooled arrays of at least count values; Draw returns them).</summary>
    private double[][] CorrelatedScores(ulong stream, int count)
    {
        int d = _copula!.Dimension;
        var result = new double[d][];
        for (int k = 0; k < d; k++) result[k] = ArrayPool<double>.Shared.Rent(Math.Max(1, count));
        CopulaScores.Draw(new SeededRandom(SeededRandom.Derive(_tableSeed, CopulaSalt, stream)), _copula.Cholesky, d, count, result);
        return result;
    }

    private Bitmask Missing(int column, ulong stream, int count)
    {
        double rate = Table.Columns[column].Missing;
        if (rate <= 0) return Bitmask.Empty(count);
        var rng = new SeededRandom(SeededRandom.Derive(_tableSeed, MissingSalt ^ _columnSalts[column], stream));
        var b = new Bitmask.Builder(count);
        for (int i = 0; i < count; i++) if (rng.NextDouble() < rate) b.Set(i);
        return b.Build();
    }

    private Column BuildFake(FakePlan plan, int column, ulong stream, int count, Column[] columns, Dictionary<string, FakePeople> people, Bitmask missing)
    {
        var sampler = plan.Sampler;
        Func<int, string> localeOf = LocaleOfRow(sampler.LocaleColumn, sampler.Locale, columns);
        FakePeople? group = null;
        if (sampler.NeedsPeople && !people.TryGetValue(sampler.Person, out group))
        {
            // The group's people use the locale of the group's first column that names one (so all its columns agree).
            var first = _plans.OfType<FakePlan>().First(p => p.Sampler.NeedsPeople && p.Sampler.Person == sampler.Person).Sampler;
            group = FakePeople.Draw(count, LocaleOfRow(first.LocaleColumn, first.Locale, columns),
                SeededRandom.Derive(_tableSeed, PersonSalt ^ StableHash.Of(sampler.Person), stream));
            people[sampler.Person] = group;
        }
        var values = sampler.Generate(count, localeOf, group, SeededRandom.Derive(_tableSeed, FakeSalt ^ _columnSalts[column], stream));
        for (int i = 0; i < count; i++) if (missing[i]) values[i] = null;
        return new TextColumn(plan.Name, values);
    }

    private Func<int, string> LocaleOfRow(string? localeColumn, string fixedLocale, Column[] columns)
    {
        if (localeColumn is null) return _ => fixedLocale;
        var source = columns[IndexOf(localeColumn)];
        return i => source.FormatValue(i) is { } l && PiiLocales.IsKnown(l) ? l : _defaultLocale;
    }

    /// <summary>A locale column with fixed labels must hold Bogus locales only (checked once, before any row is made).</summary>
    private void CheckLocaleColumns(GenerationSpec spec, TableSpec table)
    {
        foreach (var c in table.Columns)
        {
            if (c.Distribution is not Distribution.Fake { LocaleColumn: { } name }) continue;
            if (table.Column(name)?.Distribution is Distribution.Categorical cat)
                foreach (var label in cat.Values.Where(v => !PiiLocales.IsKnown(v)))
                    throw new SpecException("spec.locale",
                        $"table '{table.Name}', column '{c.Name}', field 'localeColumn': column '{name}' has the value '{label}', which is not a Bogus locale (use e.g. en, de, fr, es).",
                        table.Name, c.Name, "localeColumn", c.LineOf("localeColumn"), spec.SourceFile);
        }
    }
}
