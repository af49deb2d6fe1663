using TabTwin.Schema;

namespace TabTwin.Synthesizers;

/// <summary>
/// Sampled tables are built in memory, so a row count the machine cannot hold is refused before sampling starts, with
/// the estimate, instead of failing deep inside with "Array dimensions exceeded" (or being killed). The estimate is
/// deliberately rough: per value 8 bytes (numbers, ticks) or 48 (text, ids, personal data, whose strings are made per
/// row), doubled for the sampler's working copies, against the memory the runtime says it may use.
/// </summary>
public static class SampleBudget
{
    /// <summary>Estimated bytes to sample <paramref name="rows"/> rows of <paramref name="schema"/>.</summary>
    public static double EstimateBytes(TableSchema schema, long rows)
    {
        double perRow = schema.Columns.Sum(c => c.Kind is ColumnKind.Text or ColumnKind.Id or ColumnKind.Pii ? 48.0 : 8.0) + 1;
        return perRow * rows * 2;
    }

    /// <summary>Throws "sample.too-many-rows" when <paramref name="rows"/> rows of <paramref name="schema"/> would not fit in memory.</summary>
    public static void Ensure(TableSchema schema, long rows)
    {
        double need = EstimateBytes(schema, rows);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (need <= available * 0.8) return;
        long fits = (long)(available * 0.8 / Math.Max(1, EstimateBytes(schema, 1)));
        throw new TabTwinException("sample.too-many-rows",
            $"Sampling {rows:N0} rows × {schema.Columns.Count} columns needs about {need / 1e9:N1} GB of memory; {available / 1e9:N1} GB are available (about {fits:N0} rows fit).",
            hint: "Sample fewer rows per run and concatenate runs with different seeds, or use 'generate' with a described spec, which streams.");
    }
}
