using TabTwin.Bundles;
using TabTwin.Encoding;
using TabTwin.Models;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.Cart.Streaming;
using TabTwin.Tables;

namespace TabTwin.Synthesis;

/// <summary>
/// One pass of a distributed streaming CART fit, to run on every work unit: <see cref="Job"/> is what every pass needs
/// (encoding, options, bins so far; the same bytes for every unit), <see cref="Request"/> which pass, <see cref="Units"/>
/// how many work units the data has (<see cref="WorkUnit.Plan"/>), <see cref="Number"/> the pass's number (1, 2, …).
/// </summary>
internal sealed record StreamingPassWork(byte[] Job, byte[] Request, int Units, int Number, string Stage);

/// <summary>
/// Runs <paramref name="work"/> on every work unit somewhere — which worker, retries after a lost one — and calls
/// <paramref name="onResult"/> exactly once per unit with what <see cref="DistributedCartFit.RunUnit"/> returned for it
/// (from any thread). Returns when every unit has reported.
/// </summary>
internal delegate void StreamingPassDispatch(StreamingPassWork work, Action<int, byte[]> onResult, CancellationToken cancel);

/// <summary>
/// The streaming CART fit with its passes run by workers elsewhere (a cluster's silos) and grown here: the coordinator
/// hands each pass to every work unit, merges the units' statistics in unit order and adds their sums (exact, so in any
/// order), and grows the trees (<see cref="StreamingCartFitter"/>). The model equals the one-process streaming fit with the
/// same <see cref="StreamingFitOptions.UnitRows"/>, byte for byte, whichever worker ran which unit, however often.
/// </summary>
internal static class DistributedCartFit
{
    private const string JobKind = "cart-stream-job";
    private enum PassKind : byte { Statistics = 1, Order = 2, Level = 3 }

    /// <summary>A pass runner that sends every pass to <paramref name="dispatch"/>.</summary>
    public static IStreamingPassRunner Runner(ITableChunkSource source, StreamingFitOptions streaming, StreamingPassDispatch dispatch, CancellationToken cancel) =>
        new DispatchingRunner(WorkUnit.Plan(source, streaming.UnitRows).Count, streaming.UnitRows, dispatch, cancel);

    /// <summary>
    /// The worker's side: runs the pass <paramref name="request"/> over work unit <paramref name="unit"/> of
    /// <paramref name="source"/> (the same data the coordinator planned, opened here) and returns the unit's partial.
    /// </summary>
    public static byte[] RunUnit(byte[] job, byte[] request, ITableChunkSource source, int unit, ParallelOptions parallel)
    {
        using var reader = new BinaryReader(new MemoryStream(request, writable: false));
        var kind = (PassKind)reader.ReadByte();
        long unitRows = reader.ReadInt64();
        int units = reader.ReadInt32();
        bool explicitOrder = reader.ReadBoolean();
        var fit = new Guid(reader.ReadBytes(16));
        var plan = WorkUnit.Plan(source, unitRows);
        if (plan.Count != units || (uint)unit >= (uint)units)
            throw new TabTwinException("cluster.source-differs",
                $"'{source.Name}' has {plan.Count} work unit(s) here but the job planned {units}: the workers do not see the same data as the client.",
                hint: "Put the input on storage every silo sees at the same path, and do not change it during the fit.");
        var stream = DecodedJobs.GetValue(job, ReadJob);
        using var output = new MemoryStream();
        using (var writer = new BinaryWriter(output))
            switch (kind)
            {
                case PassKind.Statistics:
                    LocalPassRunner.UnitStatistics(stream, source, plan[unit], parallel).Write(writer);
                    break;
                case PassKind.Order:
                    var counts = OrderPartial.Empty(stream, explicitOrder);
                    foreach (var chunk in UnitSpillCache.Chunks(fit, unit, stream, source, plan[unit], parallel, rebin: true)) counts.Add(chunk, stream, parallel);
                    counts.Write(writer);
                    break;
                case PassKind.Level:
                    var active = ReadTrees(reader, stream);
                    var buffers = active.Select(_ => new TargetBuffers()).ToArray();
                    foreach (var chunk in UnitSpillCache.Chunks(fit, unit, stream, source, plan[unit], parallel, rebin: false)) LevelPass.Add(chunk, stream, active, buffers, parallel);
                    foreach (var tree in active) tree.Sums.WriteSums(writer);
                    break;
                default:
                    throw new InvalidDataException($"A streaming-fit request of unknown kind {(byte)kind}.");
            }
        return output.ToArray();
    }

    /// <summary>
    /// Jobs already decoded, by the bytes they came in: a worker runs one pass's job on many units, and decoding it (a
    /// model-file zip, the encoding, the bins) once per unit was work repeated for nothing. Weak keys: a pass's job goes
    /// when its bytes do.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<byte[], CartStreamJob> DecodedJobs = new();

    private static byte[] WriteJob(CartStreamJob job)
    {
        var bundle = new ModelBundleWriter();
        job.Encoding.Write(bundle);
        bundle.WriteJson("options", job.Options, SynthesizerJson.Options);
        using var state = new MemoryStream();
        using (var writer = new BinaryWriter(state)) job.Write(writer);
        bundle.WriteArray("job", state.ToArray().Select(b => (int)b).ToArray());
        return ModelFile.BundleBytes(JobKind, job.Encoding.Schema, bundle);
    }

    private static CartStreamJob ReadJob(byte[] bytes) => ModelFile.ReadBundleBytes(bytes, JobKind, bundle =>
    {
        var encoding = TableEncoding.Read(bundle);
        var options = bundle.ReadJson<CartOptions>("options", SynthesizerJson.Options);
        options.Check();
        var state = bundle.ReadInts("job", 64L << 20).Select(b => (byte)b).ToArray();
        using var reader = new BinaryReader(new MemoryStream(state, writable: false));
        return CartStreamJob.Read(reader, encoding, options);
    });

    private static List<ActiveTree> ReadTrees(BinaryReader reader, CartStreamJob job)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > 2 * job.Columns) throw new InvalidDataException("A streaming-fit level request is damaged.");
        var trees = new List<ActiveTree>();
        for (int t = 0; t < count; t++)
        {
            int column = reader.ReadInt32();
            bool missing = reader.ReadBoolean();
            if ((uint)column >= (uint)job.Columns || missing && job.Categorical[column]) throw new InvalidDataException("A streaming-fit level request is damaged.");
            var routing = TreeRouting.Read(reader, job.BinCounts);
            var taken = reader.ReadArray<int>();
            if (taken.Any(id => (uint)id >= (uint)routing.Feature.Length)) throw new InvalidDataException("A streaming-fit level request is damaged.");
            trees.Add(new ActiveTree(column, missing, new NodeHistograms(job.ShapeOf(column, missing), routing, taken)));
        }
        return trees;
    }

    /// <summary>The coordinator's runner: every pass becomes work for every unit; results are merged as they come.</summary>
    private sealed class DispatchingRunner(int units, long unitRows, StreamingPassDispatch dispatch, CancellationToken cancel) : IStreamingPassRunner
    {
        private int _pass;
        // One id per fit: a worker keeps a unit's bins under it from the order pass to the last level pass.
        private readonly Guid _fit = Guid.NewGuid();

        private byte[] Request(PassKind kind, bool explicitOrder, Action<BinaryWriter>? body = null)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream))
            {
                writer.Write((byte)kind); writer.Write(unitRows); writer.Write(units); writer.Write(explicitOrder); writer.Write(_fit.ToByteArray());
                body?.Invoke(writer);
            }
            return stream.ToArray();
        }

        private void Run(CartStreamJob job, byte[] request, string stage, Action<int, BinaryReader> read)
        {
            var gate = new object();
            var seen = new bool[units];
            dispatch(new StreamingPassWork(WriteJob(job), request, units, ++_pass, stage), (unit, bytes) =>
            {
                lock (gate)
                {
                    if ((uint)unit >= (uint)units || seen[unit]) throw new InvalidOperationException($"Work unit {unit} reported twice or does not exist.");
                    seen[unit] = true;
                    using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
                    read(unit, reader);
                }
            }, cancel);
            if (seen.Contains(false)) throw new InvalidOperationException($"Pass {_pass} ended with work unit {Array.IndexOf(seen, false)} missing.");
        }

        public StatsPartial Statistics(CartStreamJob job)
        {
            var partials = new StatsPartial[units];
            Run(job, Request(PassKind.Statistics, false), "statistics", (unit, reader) => partials[unit] = StatsPartial.Read(reader, job));
            for (int u = 1; u < units; u++) partials[0].Merge(partials[u]); // unit order: the sketches' merges are fixed
            return partials[0];
        }

        public OrderPartial Order(CartStreamJob job, bool explicitOrder)
        {
            var total = OrderPartial.Empty(job, explicitOrder);
            Run(job, Request(PassKind.Order, explicitOrder), "order", (_, reader) => total.Merge(OrderPartial.Read(reader, job, explicitOrder)));
            return total;
        }

        public void Level(CartStreamJob job, IReadOnlyList<ActiveTree> active)
        {
            var request = Request(PassKind.Level, false, writer =>
            {
                writer.Write(active.Count);
                foreach (var tree in active)
                {
                    writer.Write(tree.Column); writer.Write(tree.Missing);
                    tree.Sums.Routing.Write(writer);
                    writer.WriteArray<int>(tree.Sums.Taken);
                }
            });
            Run(job, request, "trees", (_, reader) =>
            {
                foreach (var tree in active) tree.Sums.Add(tree.Sums.ReadSums(reader));
            });
        }
    }
}
