using System.Diagnostics;
using TabTwin.IO;
using TabTwin.Schema.Relational;
using TabTwin.Synthesizers;

namespace TabTwin.MultiTable;

/// <summary>What <see cref="DatabaseSynthesis"/> reads, fits, samples and writes; every field has a working default.</summary>
public sealed record DatabaseSynthesisOptions
{
    /// <summary>How the real database is read (<c>--tables</c>, <c>--metadata</c>, orphans).</summary>
    public RelationalReadOptions Read { get; init; } = new();
    /// <summary>How it is learned; <see cref="MultiTableOptions.Seed"/> is also the sampling seed.</summary>
    public MultiTableOptions Fit { get; init; } = new();
    /// <summary>Root tables get this many times their real rows; children follow.</summary>
    public double Scale { get; init; } = 1;
    /// <summary>How the synthetic database is written (<c>--overwrite</c>, file format of a folder).</summary>
    public RelationalWriteOptions Write { get; init; } = new();
    /// <summary>Told each step as it starts (reading, fitting, sampling, writing); null = silent.</summary>
    public Action<string>? Step { get; init; }
}

/// <summary>What a run did: the synthetic database, what was written (files, or tables of a database), and how long it took.</summary>
public sealed record DatabaseSynthesisResult(RelationalData Synthetic, IReadOnlyList<string> Written, TimeSpan Elapsed);

/// <summary>
/// The whole job on whole databases, for the command line and programs alike: read a database (SQLite, DuckDB,
/// PostgreSQL or a folder of tables) with its keys, learn it (<see cref="MultiTableSynthesizer"/>), sample it and write
/// it (to a database in one transaction with its keys declared, or to a folder with metadata.json). An existing output
/// is refused before any work unless overwriting is asked for.
/// </summary>
public static class DatabaseSynthesis
{
    /// <summary>read → fit → sample → write.</summary>
    public static DatabaseSynthesisResult Run(string source, string destination, DatabaseSynthesisOptions? options = null)
    {
        options ??= new DatabaseSynthesisOptions();
        var clock = Stopwatch.StartNew();
        var model = FitModel(source, destination, options);
        return SampleModel(model, destination, options, clock);
    }

    /// <summary>read → fit → one model file (<paramref name="modelPath"/>).</summary>
    public static MultiTableModel Fit(string source, string modelPath, DatabaseSynthesisOptions? options = null)
    {
        options ??= new DatabaseSynthesisOptions();
        if (!options.Write.Overwrite) OutputGuard.CheckFile(modelPath, overwrite: false);
        var model = FitModel(source, null, options);
        options.Step?.Invoke($"Saving {modelPath}");
        model.Save(modelPath);
        return model;
    }

    /// <summary>model file → sample → write.</summary>
    public static DatabaseSynthesisResult Sample(string modelPath, string destination, DatabaseSynthesisOptions? options = null)
    {
        options ??= new DatabaseSynthesisOptions();
        var clock = Stopwatch.StartNew();
        CheckDestination(destination, options);
        options.Step?.Invoke($"Loading {modelPath}");
        return SampleModel(MultiTableModel.Load(modelPath), destination, options, clock);
    }

    /// <summary>Whether <paramref name="modelPath"/> is a whole-database model file (rather than one table's).</summary>
    public static bool IsDatabaseModel(string modelPath) => Models.ModelFile.ReadManifest(modelPath).Synthesizer == MultiTableFormat.Kind;

    private static MultiTableModel FitModel(string source, string? destination, DatabaseSynthesisOptions options)
    {
        if (destination is not null) CheckDestination(destination, options);
        options.Step?.Invoke($"Reading {TableReader.Describe(source)}");
        var real = RelationalSource.Read(source, options.Read);
        options.Step?.Invoke($"Fitting {real.Metadata.Tables.Count} tables ({real.RowCount:N0} rows, {real.Metadata.ForeignKeys.Count} foreign keys)");
        return MultiTableSynthesizer.Fit(real, options.Fit);
    }

    private static DatabaseSynthesisResult SampleModel(MultiTableModel model, string destination, DatabaseSynthesisOptions options, Stopwatch clock)
    {
        options.Step?.Invoke($"Sampling (scale {options.Scale}, seed {options.Fit.Seed})");
        var synthetic = model.Sample(options.Scale, options.Fit.Seed, new SampleContext { MaxThreads = options.Fit.MaxThreads });
        options.Step?.Invoke($"Writing {TableReader.Describe(destination)}");
        var written = RelationalSink.Write(synthetic, destination, options.Write);
        return new DatabaseSynthesisResult(synthetic, written, clock.Elapsed);
    }

    /// <summary>A folder destination that already holds a table file is refused before the (slow) fit; a database is checked by the sink, before it writes.</summary>
    private static void CheckDestination(string destination, DatabaseSynthesisOptions options)
    {
        if (options.Write.Overwrite || !Directory.Exists(destination)) return;
        var existing = Directory.EnumerateFiles(destination).Select(Path.GetFileName).FirstOrDefault(f => f is "metadata.json" || f!.EndsWith("." + options.Write.FileFormat, StringComparison.OrdinalIgnoreCase));
        if (existing is not null)
            throw new DataSourceException("io.exists", $"The output folder '{destination}' already holds '{existing}'; nothing was written.",
                file: destination, hint: "Choose another folder, or pass --overwrite to replace its tables.");
    }
}
