using System.Globalization;
using TabTwin.Tables;

namespace TabTwin.Schema;

/// <summary>A sequence layout proposed for a table (see <see cref="SequenceDetector"/>), with why, in one readable line.</summary>
public sealed record SequenceProposal(SequenceSpec Spec, string Reason);

/// <summary>
/// What sequence detection found: the proposal (null when the table does not look like histories) and, for pairs of an
/// entity-like column and a datetime column that came close, why each was not proposed (so a user can declare one).
/// </summary>
public sealed record SequenceDetection(SequenceProposal? Proposal, IReadOnlyList<string> NotProposed);

/// <summary>
/// Proposes a <see cref="SequenceSpec"/> when a table is long-format histories (a stock's trading days, a customer's
/// purchases). A detected sequence changes how the whole table is synthesized, so the rules are deliberately strict and
/// a miss is cheap (the user declares "sequence" in the metadata) while a false proposal is not. A pair of columns is
/// proposed only when all of these hold:
/// <list type="bullet">
/// <item>The entity column's name says it identifies something (ends in id/key/ref/uuid, or is a word such as ticker,
/// customer, account, device, station). Values cannot tell an entity from a category: ticker's 10 values over 10,805
/// rows look like any 10-label category; the name is the evidence, the structure below the check. A name ending in
/// "code" does not count: it names a category as often as a thing (diagnosis, postal, product, transaction-type codes),
/// and a diagnosis code's admissions by date would pass every rule below.</item>
/// <item>The order column holds dates/times. Integer orders (a step index, a year) are honoured when declared but never
/// proposed: counts and codes are integers too, and in the test data (lahman Teams, flights) dozens of (id, count) pairs
/// pass every structural test; a year column would also make every player × season table a sequence.</item>
/// <item>Neither has missing values (a step without its entity or time cannot be placed; <see cref="SequenceLayout"/>
/// refuses them), and there are at least two entities (one series alone, such as beijing_pm25, has no entity column).</item>
/// <item>Entities repeat: on average at least <see cref="MinMeanSteps"/> steps, and at least <see cref="MinShareInHistories"/>
/// of rows in entities with two or more steps (cdnow: 82%, many customers buy once).</item>
/// <item>The order separates an entity's steps: at most <see cref="MaxTiedShare"/> of rows share their time with an earlier
/// step of the same entity (cdnow: 3% same-day purchases; berka's transactions: 17%). More ties mean a period grouping
/// several events (a year, a signup date) rather than a time ordering them.</item>
/// <item>The order values recur across the table: at least <see cref="MinRowsPerOrderValue"/> rows per distinct value
/// (sp500: 8.8 per trading day; cdnow: 128 per day), i.e. the entities share a calendar. Being distinct within each entity is
/// evidence only when the values are not distinct anyway: when nearly every row has its own timestamp (chinook's
/// invoices: 1.2 rows per date) any repeated id column passes that test by default.</item>
/// <item>No other column is a row key (all distinct, detected as an id): steps of a history are identified by their
/// entity and time, while rows with their own key (an account table's account_id, an invoice table's InvoiceId) are
/// records in their own right, usually a child table that relational synthesis handles (berka's accounts pass every rule
/// above by district and opening date, yet a district has no history of accounts).</item>
/// </list>
/// Among passing pairs the one with the fewest ties wins (a store column ties where a customer column does not). Context
/// columns are those constant within every entity. Linear in rows × columns; one pass per candidate pair.
/// </summary>
public static class SequenceDetector
{
    /// <summary>Least mean number of steps per entity.</summary>
    public const double MinMeanSteps = 2;
    /// <summary>Least share of rows that belong to entities with two or more steps.</summary>
    public const double MinShareInHistories = 0.5;
    /// <summary>Largest share of rows whose order value repeats an earlier step of the same entity.</summary>
    public const double MaxTiedShare = 0.25;
    /// <summary>Least mean number of rows per distinct order value (the entities share a calendar).</summary>
    public const double MinRowsPerOrderValue = 2;

    // Words naming a thing with a history, for entity columns whose name does not end in id/key/ref. Only text columns
    // qualify through these (an integer "meter" or "user" count is not a name of anything).
    private static readonly HashSet<string> EntityWords =
        ["ticker", "symbol", "account", "customer", "client", "user", "member", "subscriber", "patient", "subject", "participant",
         "device", "sensor", "station", "meter", "machine", "vehicle", "store", "entity", "series", "household"];

    /// <summary>The proposal for <paramref name="table"/>, or null (see <see cref="SequenceDetector"/> for the rules).</summary>
    public static SequenceProposal? Propose(Table table) => Detect(table).Proposal;

    /// <summary>The proposal and the near misses (see <see cref="SequenceDetector"/> for the rules).</summary>
    public static SequenceDetection Detect(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var orders = table.Columns.Where(c => c is DateTimeColumn && c.MissingCount == 0).Cast<DateTimeColumn>().ToArray();
        var entities = table.Columns.Select(c => (Column: c, Hint: EntityHint(c))).Where(e => e.Hint is not null).ToArray();
        var notProposed = new List<string>();
        if (orders.Length == 0 || entities.Length == 0 || table.RowCount < 4) return new SequenceDetection(null, notProposed);

        Candidate? best = null;
        foreach (var (entityColumn, hint) in entities)
        {
            var entity = ValueCodes.Of(entityColumn);
            var steps = new int[entity.Distinct];
            foreach (int e in entity.Codes) if (e >= 0) steps[e]++;
            int present = table.RowCount - entityColumn.MissingCount, inHistories = steps.Where(s => s >= 2).Sum();
            // A key (all distinct), an id that rarely repeats, or one label is not an entity with a history: not worth a note.
            if (entity.Distinct < 2 || present < MinMeanSteps * entity.Distinct || inHistories < MinShareInHistories * present) continue;
            foreach (var orderColumn in orders)
            {
                var c = Measure(entityColumn, hint!, entity, steps, inHistories, orderColumn);
                if (c.Rejection is { } why)
                {
                    if (c.Noteworthy) notProposed.Add($"'{entityColumn.Name}' ordered by '{orderColumn.Name}': {why}");
                    continue;
                }
                if (best is null || c.Tied < best.Tied || (c.Tied == best.Tied && c.InHistories > best.InHistories)) best = c;
            }
        }
        if (best is null) return new SequenceDetection(null, notProposed);
        // Rows with their own key are records, not steps (see the class summary).
        if (table.Columns.FirstOrDefault(c => c != best.Entity && c != best.Order && IsRowKey(c)) is { } key)
        {
            notProposed.Add($"'{best.Entity.Name}' ordered by '{best.Order.Name}': every row has its own key '{key.Name}' (all {Count(table.RowCount)} values distinct), so the rows are records of their own rather than steps of a history");
            return new SequenceDetection(null, notProposed);
        }

        var context = ContextColumns(table, best);
        var spec = new SequenceSpec { Entity = best.Entity.Name, Order = best.Order.Name, Context = context };
        return new SequenceDetection(new SequenceProposal(spec, Reason(best, table.RowCount, context)), notProposed);
    }

    /// <summary>
    /// What <c>tabtwin inspect</c> shows: <see cref="Detect"/>, unless <paramref name="schema"/> already declares a sequence
    /// (the user's word wins). A declared one is checked against the data here, where the user is looking at the metadata,
    /// rather than first at fitting: a context column that varies within an entity or a missing entity or order value is
    /// refused (see <see cref="SequenceLayout.Of"/>). Call <see cref="WithProposal"/> to put a proposal in the metadata.
    /// </summary>
    public static SequenceDetection DetectUnlessDeclared(Table table, TableSchema schema, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.Sequence is null) return Detect(table);
        SequenceLayout.Of(table, schema.Sequence, file);
        return new SequenceDetection(null, []);
    }

    /// <summary><paramref name="schema"/> with the proposed sequence (unchanged when there is none or one is declared).</summary>
    public static TableSchema WithProposal(TableSchema schema, SequenceDetection detection)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(detection);
        return schema.Sequence is null && detection.Proposal is { } p ? schema with { Sequence = p.Spec } : schema;
    }

    /// <summary>The entity hint of a column's name (see <see cref="SequenceDetector"/>), or null when it cannot be an entity.</summary>
    private static string? EntityHint(Column c)
    {
        if (c is DateTimeColumn or BooleanColumn || c is NumericColumn { IsInteger: false }) return null;
        var hints = new ColumnNameHints(c.Name);
        if (hints.IdHint() is { } id && hints.IsReferenceHint() && hints.Words[^1] != "code") return id;
        if (c is NumericColumn) return null;
        return hints.Words.FirstOrDefault(EntityWords.Contains) is { } w ? $"name says '{w}'" : null;
    }

    private sealed record Candidate(Column Entity, string Hint, DateTimeColumn Order, int Entities, int MinSteps, int MaxSteps,
        int InHistories, int Tied, int OrderValues, int[] EntityOf, string? Rejection, bool Noteworthy);

    private static Candidate Measure(Column entityColumn, string hint, ValueCodes entity, int[] steps, int inHistories, DateTimeColumn order)
    {
        var ticks = order.Ticks;
        var pairs = new HashSet<(int, long)>();
        var values = new HashSet<long>();
        int present = 0;
        for (int i = 0; i < ticks.Length; i++)
        {
            if (entity.Codes[i] < 0) continue;
            present++;
            pairs.Add((entity.Codes[i], ticks[i]));
            values.Add(ticks[i]);
        }
        int tied = present - pairs.Count;
        double perValue = (double)present / values.Count;
        string? rejection = null;
        bool noteworthy = true;
        if (tied > MaxTiedShare * present)
        {
            rejection = $"{Percent((double)tied / present)} of rows share their time with an earlier step of the same entity (at most {Percent(MaxTiedShare)}), so '{order.Name}' groups steps rather than ordering them";
            noteworthy = tied <= 2 * MaxTiedShare * present; // a column tied on most rows was never a plausible order
        }
        else if (perValue < MinRowsPerOrderValue)
            rejection = $"its values are nearly unique across the table ({perValue.ToString("0.0", CultureInfo.InvariantCulture)} rows per value, at least {MinRowsPerOrderValue.ToString(CultureInfo.InvariantCulture)} needed), so their being distinct within each entity is no evidence of histories";
        else if (entityColumn.MissingCount > 0)
            rejection = $"'{entityColumn.Name}' is missing in {Count(entityColumn.MissingCount)} rows, and every step needs its entity";
        return new Candidate(entityColumn, hint, order, entity.Distinct, steps.Min(), steps.Max(), inHistories, tied, values.Count, entity.Codes, rejection, noteworthy);
    }

    /// <summary>A column identifying each row: no missing and all distinct values, and detected as an id (see <see cref="SchemaDetector"/>).</summary>
    private static bool IsRowKey(Column c)
    {
        if (c.MissingCount > 0 || c is DateTimeColumn or BooleanColumn || c is NumericColumn { IsInteger: false }) return false;
        if (ValueCodes.Of(c).Distinct != c.Length) return false;
        return SchemaDetector.DetectColumn(c).Kind == ColumnKind.Id;
    }

    /// <summary>Every other column whose value is the same on all steps of each entity, in table order.</summary>
    private static string[] ContextColumns(Table table, Candidate c)
    {
        var first = new int[c.Entities];
        Array.Fill(first, -1);
        for (int i = 0; i < c.EntityOf.Length; i++) if (first[c.EntityOf[i]] < 0) first[c.EntityOf[i]] = i;
        return [.. table.Columns.Where(col => col != c.Entity && col != c.Order && ConstantWithinEntities(col, c.EntityOf, first)).Select(col => col.Name)];
    }

    private static bool ConstantWithinEntities(Column column, int[] entityOf, int[] first)
    {
        var missing = column.Missing;
        for (int i = 0; i < entityOf.Length; i++)
        {
            int f = first[entityOf[i]];
            if (f == i) continue;
            if (missing[i] != missing[f]) return false;
            if (missing[i]) continue;
            bool same = column switch
            {
                NumericColumn n => n[i].Equals(n[f]),
                CategoricalColumn k => k.Codes[i] == k.Codes[f],
                DateTimeColumn d => d.Ticks[i] == d.Ticks[f],
                BooleanColumn b => b[i] == b[f],
                _ => string.Equals(column.FormatValue(i), column.FormatValue(f), StringComparison.Ordinal),
            };
            if (!same) return false;
        }
        return true;
    }

    private static string Reason(Candidate c, int rows, string[] context)
    {
        string steps = c.MinSteps == c.MaxSteps ? $"{Count(c.MinSteps)} steps each" : $"{Count(c.MinSteps)} to {Count(c.MaxSteps)} steps each";
        string histories = c.InHistories == rows ? "" : $", {Percent((double)c.InHistories / rows)} of rows in histories of two or more steps";
        string ties = c.Tied == 0 ? "no two steps of an entity share a time"
            : $"{Count(c.Tied)} steps ({Percent((double)c.Tied / rows)}) share their time with an earlier step of their entity and keep their input order";
        string shared = $"each of its {Count(c.OrderValues)} values is shared by {((double)rows / c.OrderValues).ToString("0.0", CultureInfo.InvariantCulture)} rows on average";
        string ctx = context.Length == 0 ? "no context columns (none is constant within every entity)"
            : $"context (constant within every entity): {string.Join(", ", context)}";
        return $"'{c.Entity.Name}' names {Count(c.Entities)} entities ({c.Hint}) with {steps}{histories}; '{c.Order.Name}' (dates/times) orders each entity's steps: {ties}; {shared}; {ctx}";
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
    private static string Percent(double share) => share > 0 && share < 0.01 ? "under 1%" : SchemaDetector.Percent(share);

    /// <summary>Dense codes (0, 1, … in order of first appearance) for a column's values, missing as −1.</summary>
    private sealed class ValueCodes
    {
        public required int[] Codes { get; init; }
        public required int Distinct { get; init; }

        public static ValueCodes Of(Column column)
        {
            var codes = new int[column.Length];
            int distinct = column switch
            {
                CategoricalColumn c => FromCategories(c, codes),
                NumericColumn n => FromValues(n.Values.ToArray(), n.Missing, codes),
                _ => FromValues(Enumerable.Range(0, column.Length).Select(i => column.FormatValue(i) ?? "").ToArray(), column.Missing, codes),
            };
            return new ValueCodes { Codes = codes, Distinct = distinct };
        }

        private static int FromCategories(CategoricalColumn c, int[] codes)
        {
            var remap = new int[c.Cardinality];
            Array.Fill(remap, -1);
            int next = 0;
            var source = c.Codes;
            for (int i = 0; i < codes.Length; i++)
            {
                int k = source[i];
                if (k < 0) { codes[i] = -1; continue; }
                if (remap[k] < 0) remap[k] = next++;
                codes[i] = remap[k];
            }
            return next;
        }

        private static int FromValues<T>(T[] values, Bitmask missing, int[] codes) where T : notnull
        {
            var seen = new Dictionary<T, int>();
            for (int i = 0; i < codes.Length; i++)
            {
                if (missing[i]) { codes[i] = -1; continue; }
                if (!seen.TryGetValue(values[i], out int k)) seen[values[i]] = k = seen.Count;
                codes[i] = k;
            }
            return seen.Count;
        }
    }
}
