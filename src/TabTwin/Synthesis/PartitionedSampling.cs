using System.Diagnostics;
using System.Runtime.ExceptionServices;
using TabTwin.Generation;
using TabTwin.IO;
using TabTwin.Randomness;
using TabTwin.Sampling;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Synthesis;

/// <summary>
/// Samples a model into a folder of Parquet part files, in memory bounded by a chunk, not by the row count.
/// <para><b>Rows.</b> The run's rows are cut into global chunks of <see cref="ChunkRows"/> rows; chunk c is
/// <c>model.Sample(rows of c, Derive(seed, c))</c>. A part writes the slices of the chunks its rows fall in, each as one
/// Parquet row group, so a row's values depend only on (model, seed, its number): a part's bytes are the same on any
/// thread count, in any process, and the parts of a 64-part run hold the same rows as those of an 8-part run. Key (id)
/// columns are made from the global row number (<see cref="PartitionedKeys"/>), so they never repeat across parts.</para>
/// <para><b>Conditions</b> (<c>--where</c>). Chunk c is then <c>model.Sample(rows of c, conditions, Derive(seed, c))</c>, the
/// in-memory conditional sampler (<see cref="ConditionalSampling"/>) applied to each chunk on its own: native models
/// (cart, the copula, independent) condition inside the model, others reject within a bounded, seeded budget per chunk.
/// Chunks stay independent, so the rows still depend only on (model, seed, conditions, row number), every chunk holds
/// exactly its rows, and memory stays bounded by a chunk and its candidates.</para>
/// <para><b>Output.</b> Parts are written into a staging folder inside the output (<see cref="CreateStaging(string, bool)"/>) and moved
/// into place by <see cref="Commit"/>, which writes the marker last: <c>_SUCCESS</c>, or for shard k of n
/// <c>_SUCCESS.shard-k-of-n</c> (and <c>_SUCCESS</c> too once every shard's marker is there). A failed or cancelled job
/// removes its staging folder (<see cref="Abandon"/>): readers never see parts without a marker from that job.</para>
/// </summary>
public static partial class PartitionedSampling
{
    /// <summary>Rows per chunk (fixed: chunk c's random stream is derived from c, so a different size would change the rows).</summary>
    public const int ChunkRows = 65_536;

    private const ulong ChunkSalt = 0xC4A2C;

    /// <summary>
    /// Writes part <paramref name="part"/> of <paramref name="plan"/> into <paramref name="folder"/> as
    /// <see cref="PartitionPlan.PartFileName"/> (a temporary name, then one rename; an existing part is replaced).
    /// Deterministic: the same model, plan, part and seed give the same bytes.
    /// </summary>
    /// <param name="model">The model to sample (key columns get keys of their global row numbers).</param>
    /// <param name="plan">The run's rows and parts.</param>
    /// <param name="part">Which part (0-based).</param>
    /// <param name="seed">The run's seed (the same for every part).</param>
    /// <param name="folder">Where the part file goes (usually the staging folder of <see cref="CreateStaging(string, bool)"/>).</param>
    /// <param name="rowsWritten">Told the rows of this part written so far, after each chunk.</param>
    /// <param name="cancel">Stops between chunks; the part file is then not written.</param>
    /// <returns>The rows written.</returns>
    public static long WritePart(ISynthesizerModel model, PartitionPlan plan, int part, ulong seed, string folder,
        IProgress<long>? rowsWritten = null, CancellationToken cancel = default)
    {
        long done = 0;
        return WritePart(model, plan, part, seed, folder, null, rows => rowsWritten?.Report(done += rows), cancel);
    }

    /// <summary><see cref="WritePart(ISynthesizerModel, PartitionPlan, int, ulong, string, IProgress{long}?, CancellationToken)"/>
    /// with the model's threads per chunk (<paramref name="maxThreads"/>, null = all cores) and a callback per chunk written.</summary>
    internal static long WritePart(ISynthesizerModel model, PartitionPlan plan, int part, ulong seed, string folder,
        int? maxThreads, Action<int>? chunkWritten, CancellationToken cancel, PartitionedKeys? keys = null, ConditionSet? conditions = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var (first, rows) = plan.PartRange(part);
        keys ??= PartitionedKeys.For(model, plan.TotalRows, seed);
        var context = new SampleContext(null, cancel) { MaxThreads = maxThreads };
        using var sink = new ParquetTableSink(Path.Combine(folder, PartitionPlan.PartFileName(part)), overwrite: true) { ExpectedRows = rows };
        long end = first + rows;
        for (long chunk = first / ChunkRows; chunk * ChunkRows < end; chunk++)
        {
            cancel.ThrowIfCancellationRequested();
            long chunkStart = chunk * ChunkRows;
            int chunkRows = (int)Math.Min(ChunkRows, plan.TotalRows - chunkStart);
            // The whole chunk is sampled even when the part needs only a slice of it (at most the first and last chunk
            // of a part): a chunk's rows depend on its own size, and its size must not depend on where parts begin.
            var sampled = SampleChunk(model, chunk, chunkRows, conditions ?? ConditionSet.Empty, SeededRandom.Derive(seed, ChunkSalt, (ulong)chunk), context);
            if (sampled.RowCount != chunkRows)
                throw new InvalidOperationException($"The {model.SynthesizerName} model returned {sampled.RowCount} rows for {chunkRows}.");
            long from = Math.Max(first, chunkStart), to = Math.Min(end, chunkStart + chunkRows);
            var slice = from == chunkStart && to == chunkStart + chunkRows ? sampled : Slice(sampled, (int)(from - chunkStart), (int)(to - from));
            sink.Write(keys.Apply(slice, from));
            chunkWritten?.Invoke(slice.RowCount);
        }
        cancel.ThrowIfCancellationRequested();
        sink.Complete();
        return rows;
    }

    /// <summary>
    /// One global chunk: unconditioned (exactly <c>model.Sample</c>, so runs without conditions keep their bytes) or under
    /// <paramref name="conditions"/>, with a rejection budget that is per chunk — the error says so, since the user asked
    /// for the whole run's rows, not a chunk's.
    /// </summary>
    private static Table SampleChunk(ISynthesizerModel model, long chunk, int rows, ConditionSet conditions, ulong chunkSeed, SampleContext context)
    {
        try
        {
            return model.Sample(rows, conditions, chunkSeed, context);
        }
        catch (TabTwinException e) when (e.Code == ConditionalSampling.UnreachableCode)
        {
            long first = chunk * ChunkRows;
            throw new TabTwinException(e.Code, $"{e.Message} Partitioned sampling draws each chunk of {ChunkRows:N0} rows on its own; this was chunk {chunk:N0} " +
                $"(rows {first:N0} to {first + rows - 1:N0}).", e.Column, e.Row, e.File, e.Hint, e);
        }
    }

    private static Table Slice(Table table, int start, int count)
    {
        var rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = start + i;
        return table.Take(rows);
    }

    /// <summary>
    /// Samples the parts of <paramref name="plan"/> (those of <paramref name="shard"/>, when given) into
    /// <paramref name="outputFolder"/>: <see cref="CreateStaging(string, bool)"/>, <see cref="WritePart(ISynthesizerModel, PartitionPlan, int, ulong, string, IProgress{long}?, CancellationToken)"/>
    /// for each part (several at once, up to <paramref name="maxThreads"/>, null = all cores; the bytes do not depend on it),
    /// then <see cref="Commit"/>. On failure or cancellation the staging folder is removed and the error rethrown. With
    /// conditions, only rows satisfying them (null or empty: unconditioned; see the class remarks).
    /// </summary>
    /// <exception cref="TabTwinException"><c>sample.parts-unsupported</c> for a model that cannot be sampled in parts;
    /// <c>io.exists</c> for an output that exists without <paramref name="overwrite"/>; <c>io.unwritable</c>; the
    /// condition errors of <see cref="ConditionSet.Validate"/> (before any folder is made), and
    /// <c>sampling.condition-unreachable</c> when a chunk's rejection budget runs out.</exception>
    public static PartitionedResult Sample(ISynthesizerModel model, PartitionPlan plan, ulong seed, string outputFolder, Shard? shard = null,
        bool overwrite = false, IProgress<StepProgress>? progress = null, int? maxThreads = null, CancellationToken cancel = default,
        ConditionSet? conditions = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        if (maxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(maxThreads), "maxThreads must be at least 1 (or null for all cores).");
        var watch = Stopwatch.StartNew();
        int[] parts = shard is { } s ? [.. plan.PartsOfShard(s)] : [.. Enumerable.Range(0, plan.Parts)];
        var keys = PartitionedKeys.For(model, plan.TotalRows, seed);   // a model that cannot be partitioned fails before any folder is made
        conditions?.Validate(model.Schema);                              // and so does a condition on an unknown column or of the wrong kind
        long total = parts.Sum(p => plan.PartRange(p).Rows), done = 0;
        var staging = CreateStaging(outputFolder, overwrite, plan, shard);
        try
        {
            // Parts run side by side, each sampling its chunks on the threads left over; memory is one chunk per running part.
            int threads = maxThreads ?? Environment.ProcessorCount;
            int side = Math.Max(1, Math.Min(threads, parts.Length)), perPart = Math.Max(1, threads / side);
            progress?.Report(new StepProgress(Done(0, total, watch.Elapsed), 0));
            var gate = new object();
            void Chunk(int rows)
            {
                // Parts finish chunks on several threads: one report at a time, so the count shown never goes back.
                lock (gate)
                {
                    done += rows;
                    progress?.Report(new StepProgress(Done(done, total, watch.Elapsed), total == 0 ? 1 : (double)done / total));
                }
            }
            try
            {
                Parallel.ForEach(parts, new ParallelOptions { MaxDegreeOfParallelism = side, CancellationToken = cancel },
                    p => WritePart(model, plan, p, seed, staging, perPart, Chunk, cancel, keys, conditions));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
            {
                // The caller sees the first failure as a sequential run would throw it, not a wrapper.
                var first = e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
                ExceptionDispatchInfo.Capture(first).Throw();
            }
            Commit(staging, outputFolder, plan, parts, shard);
        }
        catch
        {
            Abandon(staging);
            throw;
        }
        return new PartitionedResult(Path.GetFullPath(outputFolder), total, parts.Length, shard, watch.Elapsed);
    }

    private static string Done(long rows, long total, TimeSpan elapsed) =>
        $"{rows:N0} of {total:N0} rows" + (elapsed.TotalSeconds >= 1 && rows > 0 ? $", {rows / elapsed.TotalSeconds:N0} rows/s" : "");
}
