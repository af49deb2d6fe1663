using System.CommandLine;
using TabTwin.Generation;
using TabTwin.Models;
using TabTwin.Sampling;
using TabTwin.Synthesis;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin sample model.tabtwin -n 1000000000 -o out/ --parts 64 [--shard k/n]</c>: a partitioned Parquet folder
/// (part-00000.parquet … and _SUCCESS last), written chunk by chunk in constant memory by <see cref="PartitionedSampling"/>;
/// with <c>--where</c>, every chunk conditioned on its own (not on a cluster: the silos sample the model file as it is).
/// </summary>
internal sealed class SampleParts
{
    public readonly Option<int?> Parts = new("--parts")
    {
        Description = "Write a partitioned Parquet folder instead of one table: -o names a folder (created if missing; e.g. out/), " +
                      "which gets part-00000.parquet … part-<P-1> and, last, a _SUCCESS marker. Memory stays constant however large -n is; " +
                      "the rows do not depend on P, --threads or --shard.",
    };
    public readonly Option<string?> Shard = new("--shard")
    {
        Description = "With --parts: write only shard k of n (e.g. 3/8): its share of the parts and the marker _SUCCESS.shard-k-of-n " +
                      "(the shard that finds all n markers also writes _SUCCESS). Run the n shards anywhere into one folder; together they equal the whole run byte for byte.",
    };
    public readonly Option<int?> Threads = new("--threads") { Description = "With --parts: worker threads (default: all cores); the output does not depend on it." };

    public readonly Option<string?> Cluster = SiloCommand.Cluster(required: false);
    public readonly Option<string?> ClusterId = SiloCommand.ClusterId();

    public IEnumerable<Option> Options => [Parts, Shard, Threads, Cluster, ClusterId];

    /// <summary>Whether the command line asks for partitioned output.</summary>
    public bool Applies(ParseResult r) => GenerateCommand.Given(r, Parts) || GenerateCommand.Given(r, Shard) || GenerateCommand.Given(r, Threads)
        || GenerateCommand.Given(r, Cluster) || GenerateCommand.Given(r, ClusterId);

    /// <summary>Refuses the partitioned options for models they cannot serve (database and sequence models).</summary>
    public void RefuseFor(ParseResult r, string what)
    {
        if (Applies(r))
            throw new UsageException("cli.parts-unsupported", $"--parts, --shard, --threads and --cluster apply to single-table models, not to {what}.",
                hint: "Drop them: sample this model into a file or database as before.");
    }

    public int Run(CliConsole console, ParseResult r, string modelPath, Option<string> output, Option<long?> rows, Option<ulong> seed,
        Option<string?> verifyKey, Option<string?> metadata, Option<string[]> where, IEnumerable<Option> notForParts, OutputOptions outputs)
    {
        GenerateCommand.Refuse(r, "--parts (a partitioned Parquet folder; --where is the one condition option it takes)", notForParts);
        if (r.GetValue(Parts) is not { } parts)
            throw new UsageException("cli.parts", "--shard and --threads need --parts (the same on every shard), e.g. --parts 64 --shard 3/8.",
                hint: "Add --parts P: the number of part files of the whole run.");
        if (r.GetValue(rows) is not { } n)
            throw new UsageException("cli.rows", "Give the number of rows with -n when writing parts.");
        var plan = new PartitionPlan(n, parts);
        var shard = r.GetValue(Shard) is { } s ? Generation.Shard.Parse(s) : (Shard?)null;
        if (shard is { Count: var count } && count > parts)
            throw new UsageException("cli.shard", $"--shard {shard} splits {parts:N0} parts into {count:N0} shards, so some shards would have none.",
                hint: $"Use at most {parts:N0} shards, or more parts.");
        int threads = r.GetValue(Threads) ?? Environment.ProcessorCount;
        if (threads < 1) throw new UsageException("cli.threads", $"--threads must be at least 1, not {threads}.");

        var cluster = SampleCluster.Connection(r, Cluster, ClusterId, [metadata, Threads, where]);
        var key = CommonOptions.ResolveSigningKey(r.GetValue(verifyKey), modelPath, "--verify-key-file");
        var model = console.Step($"Loading {modelPath}", _ => ModelFile.Load(modelPath, verifyWith: key));
        if (r.GetValue(metadata) is { } metadataPath && Sampling.Constraints.ConstraintSet.FromMetadataFile(metadataPath) is { IsEmpty: false } extra)
            model = Sampling.Constraints.ConstrainedModel.Enforce(model, extra);
        var conditions = r.GetValue(where) is { Length: > 0 } wheres ? ConditionParser.ParseAll(wheres, model.Schema) : null;
        var folder = r.GetValue(output)!;
        if (cluster is not null)
            return SampleCluster.Run(console, cluster, modelPath, model, plan, r.GetValue(seed), folder, shard, r.GetValue(outputs.Overwrite));
        var label = $"Sampling {plan.TotalRows:N0} rows" + (conditions is null ? "" : $" where {conditions}") + $" into {parts:N0} part(s)" + (shard is null ? "" : $" (shard {shard})");
        var result = console.Step(label, progress =>
            PartitionedSampling.Sample(model, plan, r.GetValue(seed), folder, shard, r.GetValue(outputs.Overwrite), progress, threads, conditions: conditions));
        console.Out($"{result.Rows:N0} synthetic rows written to {result.Folder} in {result.PartsWritten:N0} part file(s)" +
                    (shard is null ? "" : $" (shard {shard}, marker {PartitionedSampling.ShardMarker(shard.Value)})"));
        console.Info($"{result.RowsPerSecond:N0} rows/s ({result.Elapsed.TotalSeconds:0.00} s, {threads} thread(s))");
        return CliApp.ExitOk;
    }
}
