using System.Data.Common;
using System.Globalization;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// A database table or query read in chunks: each pass streams the result through one data reader, <c>chunkRows</c> rows
/// per chunk, converted with column plans decided over the whole result when the source is opened
/// (<see cref="DbColumnProfile"/>: a first pass, plus a second one for columns read as text from values that are not
/// all strings). Row order must be the same on every pass: a table is read ordered by its primary key when it declares
/// one (else in the engine's scan order of an unchanged table), PostgreSQL sessions turn <c>synchronize_seqscans</c> off
/// (so a scan never starts mid-table where a concurrent one is), and a <see cref="ReadOptions.Query"/> is run as given
/// — it must order its rows deterministically (ORDER BY a unique key). Connections are read-only, as for
/// <see cref="DbTableReader.Read"/>. A pass whose row count, columns or values no longer fit what was decided at open
/// is <c>io.changed</c>.
/// </summary>
internal sealed class DbChunkSource : ITableChunkSource
{
    private const int ProfileBlock = 65_536;

    private readonly DbSource _source;
    private readonly ReadOptions _options;
    private readonly int _chunkRows;
    private readonly string _sql;
    private readonly string[] _names;
    private readonly DbColumnPlan[] _plans;
    private readonly long _rows;
    private bool _reported;

    private DbChunkSource(DbSource source, ReadOptions options, int chunkRows)
    {
        _source = source; _options = options; _chunkRows = chunkRows;
        if (options.Query is { Length: > 0 } query) SqlQueryGuard.Check(query, source.Display, source.Kind);
        using var connection = Connect();
        _sql = DbTableReader.Sql(connection, source, options, orderByKey: true);
        (_names, _plans, _rows) = Guard(() => Profile(connection));
    }

    public static ITableChunkSource Open(DbSource source, ReadOptions options, int chunkRows) => new DbChunkSource(source, options, chunkRows);

    public string Name => _source.Display;

    public long RowCount => _rows;

    private DbConnection Connect()
    {
        var connection = _source.Open(forWriting: false);
        if (_source.Kind != DbKind.Postgres) return connection;
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SET synchronize_seqscans = off";
            command.ExecuteNonQuery();
            return connection;
        }
        catch (Exception e) when (e is DbException)
        {
            connection.Dispose();
            throw new DataSourceException("db.query-failed", $"{_source.Display}: setting synchronize_seqscans failed: {e.Message}", file: _source.Display, inner: e);
        }
    }

    private (string[] Names, DbColumnPlan[] Plans, long Rows) Profile(DbConnection connection)
    {
        var tokens = new MissingTokens(_options.MissingTokens);
        string[] names;
        DbColumnProfile[] profiles;
        long rows = 0;
        using (var command = Command(connection))
        using (var reader = command.ExecuteReader())
        {
            int fieldCount = reader.FieldCount;
            names = Enumerable.Range(0, fieldCount).Select(reader.GetName).ToArray();
            profiles = Enumerable.Range(0, fieldCount).Select(c => new DbColumnProfile(names[c], reader.GetDataTypeName(c), tokens)).ToArray();
            foreach (var block in Blocks(reader, fieldCount, ProfileBlock))
            {
                rows += block[0].Count;
                for (int c = 0; c < fieldCount; c++) profiles[c].Observe(block[c]);
            }
        }
        if (names.Length == 0 || rows == 0)
            throw new DataSourceException("table.empty", $"{_source.Display}: the {(_options.Query is null ? "table" : "query")} returned no rows.", file: _source.Display);
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DataSourceException("db.duplicate-column", $"{_source.Display}: the result has two columns named '{duplicate.Key}'.",
                column: duplicate.Key, file: _source.Display, hint: "Give the columns distinct aliases in the query.");
        var routes = profiles.Select(p => p.Route(_options, _source.Display)).ToArray();
        var textual = Enumerable.Range(0, names.Length).Where(c => profiles[c].NeedsText).ToArray();
        if (textual.Length > 0)
        {
            using var command = Command(connection);
            using var reader = command.ExecuteReader();
            foreach (var block in Blocks(reader, names.Length, ProfileBlock))
                foreach (int c in textual)
                    profiles[c].ObserveText(Texts(block[c]), routes[c].NoTokens ? new MissingTokens([]) : tokens);
        }
        return (names, profiles.Select((p, c) => p.Decide(routes[c])).ToArray(), rows);
    }

    public IEnumerable<Table> ReadChunks(CancellationToken cancel = default)
    {
        using var chunks = Guard(() => Pass(cancel).GetEnumerator());
        while (Guard(chunks.MoveNext)) yield return chunks.Current;
    }

    private IEnumerable<Table> Pass(CancellationToken cancel)
    {
        var tokens = new MissingTokens(_options.MissingTokens);
        var dropped = _names.Select(_ => new UnusableNumbers()).ToArray();
        long firstRow = 0;
        using (var connection = Connect())
        using (var command = Command(connection))
        using (var reader = command.ExecuteReader())
        {
            if (reader.FieldCount != _names.Length || Enumerable.Range(0, _names.Length).Any(c => reader.GetName(c) != _names[c]))
                throw Changed($"its columns are now {string.Join(", ", Enumerable.Range(0, reader.FieldCount).Select(reader.GetName))}", null, null);
            foreach (var block in Blocks(reader, _names.Length, _chunkRows))
            {
                cancel.ThrowIfCancellationRequested();
                if (firstRow + block[0].Count > _rows) throw Changed($"a pass read more than the {_rows:N0} rows it had when opened", null, null);
                var columns = new Column[_names.Length];
                for (int c = 0; c < columns.Length; c++)
                    columns[c] = Convert(_names[c], block[c], _plans[c], _plans[c].NoTokens ? new MissingTokens([]) : tokens, dropped[c], firstRow);
                firstRow += block[0].Count;
                yield return new Table(columns);
            }
        }
        if (firstRow != _rows)
            throw Changed($"a pass read {firstRow:N0} of the {_rows:N0} rows it had when opened", null, null);
        if (_reported) yield break;
        _reported = true;
        for (int c = 0; c < _names.Length; c++)
            dropped[c].Report(_options.Warning, _plans[c].Route == DbRoute.Text ? null : _source.Display, _names[c]);
    }

    private DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = _sql;
        return command;
    }

    /// <summary>The rows in blocks of at most <paramref name="rows"/>, one buffer per column.</summary>
    private static IEnumerable<DbColumnBuffer[]> Blocks(DbDataReader reader, int fieldCount, int rows)
    {
        var block = NewBlock(fieldCount);
        while (reader.Read())
        {
            for (int c = 0; c < fieldCount; c++) block[c].Add(reader, c);
            if (block[0].Count == rows)
            {
                yield return block;
                block = NewBlock(fieldCount);
            }
        }
        if (fieldCount > 0 && block[0].Count > 0) yield return block;
    }

    private static DbColumnBuffer[] NewBlock(int fieldCount) => Enumerable.Range(0, fieldCount).Select(_ => new DbColumnBuffer()).ToArray();

    private static string?[] Texts(DbColumnBuffer buffer) => buffer.ValueKind switch
    {
        DbColumnBuffer.Kind.String => buffer.Strings(),
        DbColumnBuffer.Kind.None => new string?[buffer.Count],
        _ => buffer.Objects().Select(DbColumnConverter.AsText).ToArray(),
    };

    /// <summary>One chunk's column by its plan; a value the plan cannot hold is <c>io.changed</c>.</summary>
    private Column Convert(string name, DbColumnBuffer buffer, DbColumnPlan plan, MissingTokens tokens, UnusableNumbers dropped, long firstRow)
    {
        int n = buffer.Count;
        var nulls = buffer.Nulls();
        var kind = buffer.ValueKind;
        switch (plan.Route)
        {
            case DbRoute.Text:
                var texts = Texts(buffer);
                return ColumnInference.Build(name, texts, plan.Text!, tokens, dropped, out int failed) ?? throw Changed(null, name, firstRow + failed);
            case DbRoute.AllMissing:
                return kind == DbColumnBuffer.Kind.None ? new TextColumn(name, new string?[n]) : throw Changed(null, name, firstRow + FirstPresent(nulls, n));
            case DbRoute.Integer:
            case DbRoute.Floating:
                var data = kind switch
                {
                    DbColumnBuffer.Kind.None => new double[n],
                    DbColumnBuffer.Kind.Double when plan.Route == DbRoute.Floating => buffer.Doubles(),
                    DbColumnBuffer.Kind.Integer => buffer.Longs().Select(v => (double)v).ToArray(),
                    DbColumnBuffer.Kind.Objects => Numbers(buffer.Objects(), plan.Route == DbRoute.Integer, name, firstRow),
                    _ => throw Changed(null, name, firstRow + FirstPresent(nulls, n)),
                };
                if (plan.Route == DbRoute.Integer)
                {
                    int wide = Array.FindIndex(data, v => Math.Abs(v) > ValueShapes.MaxExactInteger);
                    if (wide >= 0 && !nulls[wide]) throw Changed(null, name, firstRow + wide);
                }
                var (kept, mask, counts) = UnusableNumbers.Filter(data, nulls);
                dropped.Add(counts);
                return new NumericColumn(name, kept, mask, plan.IsInteger, plan.DecimalPlaces);
            case DbRoute.Boolean:
                return kind switch
                {
                    DbColumnBuffer.Kind.None => new BooleanColumn(name, new bool[n], nulls),
                    DbColumnBuffer.Kind.Boolean => new BooleanColumn(name, buffer.Booleans(), nulls),
                    DbColumnBuffer.Kind.Objects when buffer.Objects().All(v => v is null or bool) => new BooleanColumn(name, buffer.Objects().Select(v => v is true).ToArray(), nulls),
                    _ => throw Changed(null, name, firstRow + FirstPresent(nulls, n)),
                };
            default:
                var ticks = new long[n];
                var offsets = plan.HasOffsets ? new short[n] : null;
                if (kind == DbColumnBuffer.Kind.DateTime && plan.Route == DbRoute.DateTime) ticks = buffer.Ticks();
                else if (kind == DbColumnBuffer.Kind.Objects)
                {
                    var values = buffer.Objects();
                    for (int i = 0; i < n; i++)
                        switch (values[i])
                        {
                            case null: break;
                            case DateTime dt when plan.Route == DbRoute.DateTime: ticks[i] = dt.Ticks; break;
                            case DateOnly d when plan.Route == DbRoute.DateTime: ticks[i] = d.ToDateTime(TimeOnly.MinValue).Ticks; break;
                            case DateTimeOffset dto when plan.Route == DbRoute.Offsets: ticks[i] = dto.DateTime.Ticks; offsets![i] = (short)dto.Offset.TotalMinutes; break;
                            default: throw Changed(null, name, firstRow + i);
                        }
                }
                else if (kind != DbColumnBuffer.Kind.None) throw Changed(null, name, firstRow + FirstPresent(nulls, n));
                return new DateTimeColumn(name, ticks, nulls, plan.Format!, offsets);
        }
    }

    private double[] Numbers(List<object?> values, bool integers, string name, long firstRow)
    {
        var data = new double[values.Count];
        for (int i = 0; i < data.Length; i++)
        {
            var v = values[i];
            if (v is null) continue;
            if (integers && !DbColumnConverter.IsIntegral(v.GetType())) throw Changed(null, name, firstRow + i);
            data[i] = v switch
            {
                decimal m => (double)m,
                float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
                double d => d,
                _ when DbColumnConverter.IsIntegral(v.GetType()) => (double)System.Convert.ToDecimal(v, CultureInfo.InvariantCulture),
                _ => throw Changed(null, name, firstRow + i),
            };
        }
        return data;
    }

    private static int FirstPresent(Bitmask nulls, int n)
    {
        for (int i = 0; i < n; i++) if (!nulls[i]) return i;
        return 0;
    }

    /// <summary>The result no longer fits what was decided at open: <paramref name="row"/> is 0-based.</summary>
    private DataSourceException Changed(string? what, string? column, long? row)
        => new("io.changed",
            $"{_source.Display} changed since it was opened" + (what is not null ? $": {what}." : $" (row {row + 1}, column '{column}').")
            + (_options.Query is not null ? " A query read in chunks must return the same rows in the same order each time (ORDER BY a unique key)." : ""),
            column: column, row: row + 1, file: _source.Display,
            hint: "Keep the input unchanged while it is read (a streaming fit reads it several times).");

    /// <summary>The engine's failures are the same coded errors as <see cref="DbTableReader.Read"/>'s.</summary>
    private T Guard<T>(Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            throw new DataSourceException("db.query-failed", $"{_source.Display}: the query failed: {e.Message}", file: _source.Display, inner: e);
        }
        catch (InvalidCastException e)
        {
            throw new DataSourceException("db.unsupported-type", $"{_source.Display}: a column has a type TabTwin cannot read: {e.Message}", file: _source.Display, inner: e);
        }
    }
}
