using System.CommandLine;
using TabTwin.IO;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>--stream</c> and <c>--sample-rows</c> of fit and run: learn a table too large for memory in passes over its chunks.
/// The library decides what streams and what is fitted on a sample (<see cref="StreamingSynthesis"/>); this parses, calls
/// it and prints.
/// </summary>
internal sealed class StreamOptions
{
    public Option<bool> Stream { get; } = new("--stream")
    {
        Description = "Learn the input in passes over chunks (Parquet row groups, CSV blocks, database pages) in memory bounded by the model, not the rows: " +
                      "cart (the default) learns from every row, gaussian-copula its counts and correlations (continuous marginals from the sample); " +
                      "other synthesizers from a uniform sample of --sample-rows. For tables larger than memory.",
    };

    public Option<int> SampleRows { get; } = new("--sample-rows")
    {
        Description = "With --stream: rows sampled (uniformly, seeded) to detect the schema and learn the encoding; default 200,000.",
        DefaultValueFactory = _ => new StreamingFitOptions().ReservoirRows,
    };

    public Option<string?> SpillFolder { get; } = new("--spill-folder")
    {
        Description = "With --stream: the folder for the temporary file of binned rows that cart's tree passes read (default: the system's temporary folder; " +
                      "deleted when the fit ends). It takes about 10 bytes per number and 2 per other cell: 230 bytes per row at 20 columns, 23 GB for 100 M rows.",
    };

    public Option<long> UnitRows { get; } = new("--unit-rows")
    {
        Description = "With --stream or --cluster: rows of consecutive Parquet row groups read as one unit of work (the units' sketches merge in order, so the " +
                      "model depends on this value, not on the machines: fit --stream and fit --cluster give the same model with the same value); default 1,000,000.",
        DefaultValueFactory = _ => new StreamingFitOptions().UnitRows,
    };

    public IEnumerable<Option> All => [Stream, SampleRows, SpillFolder, UnitRows];

    /// <summary>How the fit streams: --sample-rows, --spill-folder, --unit-rows, checked.</summary>
    public StreamingFitOptions Options(ParseResult r)
    {
        int sampleRows = r.GetValue(SampleRows);
        if (sampleRows < 100) throw new UsageException("cli.sample-rows", $"--sample-rows must be at least 100 (got {sampleRows}).");
        long unitRows = r.GetValue(UnitRows);
        if (unitRows < 1) throw new UsageException("cli.unit-rows", $"--unit-rows must be at least 1 (got {unitRows}).");
        return new StreamingFitOptions { ReservoirRows = sampleRows, SpillFolder = r.GetValue(SpillFolder), UnitRows = unitRows };
    }

    /// <summary>Whether --stream was given (or is implied, by --cluster); the options that only mean something with it are refused without it.</summary>
    public bool Requested(ParseResult r, bool implied = false)
    {
        bool stream = r.GetValue(Stream) || implied;
        if (!stream)
            foreach (var option in new Option[] { SampleRows, SpillFolder, UnitRows })
                if (GenerateCommand.Given(r, option))
                    throw new UsageException("cli.stream-only", $"{option.Name} applies only with --stream.", hint: $"Add --stream, or drop {option.Name}.");
        return stream;
    }

    /// <summary>Refuses what a streaming fit does not do, before any data is read.</summary>
    public static void CheckCompatible(bool dp, params (string Option, bool Given)[] others)
    {
        if (dp) throw new UsageException("cli.stream-private", "--stream cannot be combined with --epsilon: the private synthesizers read their data in memory.",
            hint: "Drop --stream (and fit on a sample of the rows if the table is too large), or drop --epsilon.");
        foreach (var (option, given) in others)
            if (given) throw new UsageException("cli.stream-option", $"{option} cannot be combined with --stream.",
                hint: $"Drop {option}, or drop --stream to fit in memory.");
    }

    /// <summary>Opens the source in chunks, fits as the library decides, and prints how.</summary>
    public StreamingFitResult Fit(CliConsole console, ParseResult r, string source, string? format, string? table, string? query, string? encoding,
        string? metadata, string? locale, string synthesizer, string? options, ulong seed, bool privacyCheck)
    {
        CommonOptions.CheckTableForFile(source, format, table, query);
        var streaming = Options(r);
        // Checked before the source is opened: opening a CSV already reads it once to decide the column types.
        if (streaming.SpillFolder is { } spillFolder) StreamingSynthesis.CheckSpillFolder(spillFolder);
        var chunks = console.Step($"Opening {TableReader.Describe(source, format)}", _ => TableChunks.Open(source, new ReadOptions
        {
            Format = format, TableName = table, Query = query, Encoding = CommonOptions.ParseEncoding(encoding), Warning = w => console.Error("warning: " + w),
        }));
        var result = console.Step($"Fitting {synthesizer} (streaming)", p => StreamingSynthesis.Fit(chunks, synthesizer, CommonOptions.ParseSynthesizerOptions(options),
            sample => CommonOptions.ResolveSchema(sample, metadata, locale),
            new FitContext(seed, p) { Warning = w => console.Error("warning: " + w) },
            streaming, privacyCheck ? new PrivacyCheckOptions() : PrivacyCheckOptions.Off));
        console.Info($"  {result.Description}");
        if (result.PrivacyCheck is { } check) console.Info($"  {check.Describe()}");
        return result;
    }
}
