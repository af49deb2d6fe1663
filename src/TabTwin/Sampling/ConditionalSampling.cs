using System.Globalization;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Sampling;

/// <summary>One block of a multi-set conditional request: <see cref="Rows"/> rows satisfying <see cref="Conditions"/>.</summary>
public sealed record ConditionalRequest(ConditionSet Conditions, int Rows);

/// <summary>
/// Conditional sampling for every model: "10,000 rows where country = DE and 30 ≤ age &lt; 40".
/// Models that implement <see cref="IConditionalModel"/> (cart, gaussian-copula, independent) condition natively, so
/// rare conditions cost little more than common ones; any other model gets a bounded, seeded rejection fallback
/// (batches of unconditional rows, filtered) that stops with <c>sampling.condition-unreachable</c> when the
/// acceptance rate is too low for its budget. Impossible conditions (unknown column, value of the wrong kind, empty
/// range; and, for native models, a category never learned or a range outside the learned support) fail at once.
/// Results are deterministic for a seed on any thread count.
/// </summary>
public static class ConditionalSampling
{
    /// <summary>The fallback draws at most max(<see cref="FallbackMinimumBudget"/>, <see cref="FallbackRowsFactor"/> × rows) candidates.</summary>
    public const long FallbackMinimumBudget = 200_000;
    public const long FallbackRowsFactor = 200;

    /// <summary>The error code when the rejection fallback's budget cannot reach the rows asked for.</summary>
    internal const string UnreachableCode = "sampling.condition-unreachable";

    private const ulong FallbackSalt = 0xC0DD17;
    private const ulong GroupSalt = 0x6A0C9;

    /// <summary>
    /// Exactly <paramref name="rows"/> rows, every one satisfying <paramref name="conditions"/> (an empty set samples
    /// unconditionally, identical to <see cref="ISynthesizerModel.Sample"/>).
    /// </summary>
    public static Table Sample(this ISynthesizerModel model, int rows, ConditionSet conditions, ulong seed, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (context?.MaxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(context), "MaxThreads must be at least 1 (or null for all cores).");
        if (conditions.IsEmpty) return model.Sample(rows, seed, context);
        conditions.Validate(model.Schema);
        if (model is IConditionalModel native)
        {
            var table = native.Sample(rows, conditions, seed, context);
            for (int i = 0; i < table.RowCount; i++)
                if (!conditions.Matches(table, i))
                    throw new InvalidOperationException(
                        $"Model '{model.SynthesizerName}' returned row {i + 1} that does not satisfy {conditions}: {string.Join(", ", table.FormatRow(i))}.");
            if (table.RowCount != rows) throw new InvalidOperationException($"Model '{model.SynthesizerName}' returned {table.RowCount} rows instead of {rows}.");
            return table;
        }
        return SampleByRejection(model, rows, conditions, seed, context);
    }

    /// <summary>
    /// Several condition sets at once (SDV's sample_from_conditions): the rows of each request in request order.
    /// Request i draws from its own seed stream, so adding a request never changes the rows of the others.
    /// </summary>
    public static Table Sample(this ISynthesizerModel model, IReadOnlyList<ConditionalRequest> requests, ulong seed, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0) return model.Sample(0, seed, context);
        foreach (var r in requests)
        {
            ArgumentNullException.ThrowIfNull(r);
            ArgumentOutOfRangeException.ThrowIfNegative(r.Rows);
        }
        for (int g = 0; g < requests.Count; g++) WithRequestRow(g, requests.Count, () => requests[g].Conditions.Validate(model.Schema));

        var parts = new Table[requests.Count];
        var errors = new Exception?[requests.Count];
        // Many small requests: one thread each, in parallel. Few: each request may use all threads.
        bool parallelRequests = requests.Count > 1;
        var inner = parallelRequests ? (context ?? new SampleContext()) with { MaxThreads = 1, Progress = null } : context;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelRequests ? context?.MaxThreads ?? -1 : 1, CancellationToken = context?.Cancel ?? default };
        int done = 0;
        Parallel.For(0, requests.Count, options, g =>
        {
            try
            {
                parts[g] = model.Sample(requests[g].Rows, requests[g].Conditions, SeededRandom.Derive(seed, GroupSalt, (ulong)g), inner);
            }
            catch (Exception e) when (e is TabTwinException or InvalidOperationException) { errors[g] = e; }
            context?.Progress?.Report(new StepProgress("conditional sample", Interlocked.Increment(ref done) / (double)requests.Count));
        });
        // The error of the first failing request, whatever the thread timing.
        for (int g = 0; g < errors.Length; g++)
            if (errors[g] is { } e) WithRequestRow(g, requests.Count, () => System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e));
        return Table.Concat([.. parts]);
    }

    /// <summary>
    /// SDV's sample_remaining_columns: one output row per row of <paramref name="knownColumns"/>, output row i having
    /// exactly the present values of known row i (a missing cell leaves that column free for that row) and the other
    /// columns drawn from the model's conditional distribution. Identical condition rows are sampled together.
    /// </summary>
    public static Table SampleRemaining(this ISynthesizerModel model, Table knownColumns, ulong seed, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(knownColumns);
        var sets = new ConditionSet[knownColumns.RowCount];
        for (int i = 0; i < sets.Length; i++)
        {
            var conditions = new List<ColumnCondition>();
            foreach (var c in knownColumns.Columns)
                if (c.FormatValue(i) is { } v) conditions.Add(new EqualsCondition(c.Name, v));
            sets[i] = ConditionSet.Of(conditions);
        }
        return SampleRows(model, sets, seed, context);
    }

    /// <summary>One output row per condition set, row i satisfying <paramref name="perRow"/>[i]; identical sets are sampled together.</summary>
    public static Table SampleRows(this ISynthesizerModel model, IReadOnlyList<ConditionSet> perRow, ulong seed, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(perRow);
        var groups = new Dictionary<ConditionSet, int>();
        var requestRows = new List<List<int>>();
        for (int i = 0; i < perRow.Count; i++)
        {
            if (!groups.TryGetValue(perRow[i], out int g)) { g = requestRows.Count; groups[perRow[i]] = g; requestRows.Add([]); }
            requestRows[g].Add(i);
        }
        var requests = groups.OrderBy(kv => kv.Value).Select(kv => new ConditionalRequest(kv.Key, requestRows[kv.Value].Count)).ToArray();
        Table stacked;
        try { stacked = model.Sample(requests, seed, context); }
        catch (TabTwinException e) when (e.Row is { } g && g >= 1 && g <= requestRows.Count)
        {
            // Report the first input row of the failing group rather than the group number.
            long row = requestRows[(int)g - 1][0] + 1;
            throw new TabTwinException(e.Code, $"Row {row} of the conditions: {StripRequestPrefix(e.Message)}", e.Column, row, e.File, e.Hint, e.InnerException ?? e);
        }
        // Stacked rows are grouped; put each back at its input position.
        var take = new int[perRow.Count];
        for (int g = 0, offset = 0; g < requestRows.Count; offset += requestRows[g].Count, g++)
            for (int k = 0; k < requestRows[g].Count; k++) take[requestRows[g][k]] = offset + k;
        return stacked.Take(take);
    }

    /// <summary>The optional column of a conditions table giving how many rows each set asks for (SDV's name).</summary>
    public const string CountColumn = "num_rows";

    /// <summary>
    /// Samples from a table of condition sets, one set per row (see <see cref="ConditionParser.ParseCell"/> for what a
    /// cell may hold; an empty cell leaves that column free). Without a <see cref="CountColumn"/> column every
    /// conditions row gives one output row, row i matching conditions row i (SDV's sample_remaining_columns); with
    /// it, conditions row i gives num_rows[i] rows, in order (SDV's sample_from_conditions).
    /// </summary>
    public static Table SampleFromTable(this ISynthesizerModel model, Table conditions, ulong seed, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(conditions);
        var (sets, counts) = ConditionParser.ParseTable(conditions, model.Schema);
        if (counts is null) return model.SampleRows(sets, seed, context);
        var requests = sets.Select((s, i) => new ConditionalRequest(s, counts[i])).ToArray();
        return model.Sample(requests, seed, context);
    }

    private static void WithRequestRow(int index, int count, Action action)
    {
        try { action(); }
        catch (TabTwinException e) when (count > 1 && e.Row is null)
        {
            throw new TabTwinException(e.Code, $"Condition set {index + 1}: {e.Message}", e.Column, index + 1, e.File, e.Hint, e);
        }
    }

    private static string StripRequestPrefix(string message)
    {
        int colon = message.IndexOf(": ", StringComparison.Ordinal);
        return message.StartsWith("Condition set ", StringComparison.Ordinal) && colon > 0 ? message[(colon + 2)..] : message;
    }

    /// <summary>
    /// The fallback for models without native conditioning: unconditional batches (each from its own derived seed),
    /// filtered, until enough rows match. The batch size follows the acceptance observed so far; the result depends
    /// only on the seed, never on the thread count.
    /// </summary>
    private static Table SampleByRejection(ISynthesizerModel model, int rows, ConditionSet conditions, ulong seed, SampleContext? context)
    {
        long budget = Math.Max(FallbackMinimumBudget, FallbackRowsFactor * rows), drawn = 0;
        int accepted = 0;
        var parts = new List<Table>();
        for (ulong round = 0; accepted < rows; round++)
        {
            context?.Cancel.ThrowIfCancellationRequested();
            int remaining = rows - accepted;
            double rate = drawn == 0 ? 0 : accepted / (double)drawn;
            if (drawn >= 10_000 && (rate == 0 || drawn + remaining / rate > budget)) throw Unreachable(model, rows, conditions, drawn, accepted, budget);
            // Nothing matched yet: grow geometrically, so hopeless conditions fail after a few thousand rows, not the whole budget.
            long want = drawn == 0 ? Math.Max(1024, 2L * rows) : accepted == 0 ? 4 * drawn : (long)Math.Ceiling(remaining / rate * 1.2) + 64;
            int batch = (int)Math.Clamp(Math.Min(want, budget - drawn), 1, 1 << 20);
            var candidates = model.Sample(batch, SeededRandom.Derive(seed, FallbackSalt, round), context);
            drawn += batch;
            var keep = new List<int>();
            for (int i = 0; i < candidates.RowCount && keep.Count < remaining; i++) if (conditions.Matches(candidates, i)) keep.Add(i);
            if (keep.Count > 0) { parts.Add(candidates.Take(keep.ToArray())); accepted += keep.Count; }
            if (accepted < rows && drawn >= budget) throw Unreachable(model, rows, conditions, drawn, accepted, budget);
        }
        return parts.Count == 0 ? model.Sample(0, seed, context) : Table.Concat([.. parts]);
    }

    private static TabTwinException Unreachable(ISynthesizerModel model, int rows, ConditionSet conditions, long drawn, int accepted, long budget)
    {
        double rate = drawn == 0 ? 0 : accepted / (double)drawn;
        string projected = accepted == 0 ? "none matched" : $"about {Math.Ceiling(rows / rate):N0} would be needed";
        return new TabTwinException(UnreachableCode,
            string.Create(CultureInfo.InvariantCulture,
                $"Could not sample {rows:N0} rows where {conditions}: {accepted:N0} of {drawn:N0} candidate rows matched (acceptance {rate:P4}); {projected}, over the budget of {budget:N0} candidates."),
            column: conditions.Columns.Count == 1 ? conditions.Columns[0] : null,
            hint: $"The '{model.SynthesizerName}' model does not condition natively and these conditions are rare under it: loosen them, ask for fewer rows, or use a synthesizer that conditions natively (cart, gaussian-copula, independent).");
    }
}
