using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Sequences;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Cli.Commands;

/// <summary>
/// The sequence paths of <c>run</c>, <c>fit</c> and <c>sample</c>: taken when the metadata declares a <c>"sequence"</c> (or
/// the file is a sequence model). Rows are histories here: <c>--rows</c> counts entities, <c>--conditions</c> gives one
/// context row per new entity, <c>--continue history.csv --steps k</c> continues real histories.
/// </summary>
internal static class SynthesizeSequences
{
    public static SequenceModel Fit(CliConsole console, Table data, TableSchema schema, string synthesizer, ulong seed, bool privacyCheck)
    {
        if (synthesizer != CartSynthesizerName)
            throw new UsageException("cli.sequence-synthesizer",
                $"Sequences are learned by the sequence synthesizer (on CART); --synthesizer {synthesizer} does not apply to them.",
                hint: "Leave --synthesizer out, or remove \"sequence\" from the metadata to learn rows independently.");
        var spec = schema.Sequence!;
        var options = new SequenceOptions
        {
            Seed = seed, PrivacyCheck = privacyCheck ? null : PrivacyCheckOptions.Off,
            Warning = w => console.Info("  " + w),
        };
        return console.Step($"Fitting histories of '{spec.Entity}' ordered by '{spec.Order}'", p => SequenceSynthesizer.Fit(data, schema, options with { Progress = p }));
    }

    private const string CartSynthesizerName = "cart";

    /// <summary>Draws from a sequence model as the options say: given contexts, continuing histories, or new entities.</summary>
    public static Table Sample(CliConsole console, SequenceModel model, int? entities, string? conditionsPath, string? continuePath, int? steps, ulong seed,
        int defaultEntities)
    {
        if (continuePath is not null)
        {
            if (conditionsPath is not null) throw new UsageException("cli.sequence-sampling", "--continue and --conditions cannot be combined.", hint: "Continue real histories, or draw new ones for given contexts.");
            if (steps is not > 0) throw new UsageException("cli.steps", "--continue needs --steps, a positive number of steps to add to every history.");
            var history = TableReader.Read(continuePath);
            return console.Step($"Continuing {continuePath} by {steps} steps", p => model.Continue(history, steps.Value, seed, new SampleContext(p)));
        }
        if (steps is not null) throw new UsageException("cli.steps", "--steps only applies with --continue.");
        if (conditionsPath is not null)
        {
            var contexts = TableReader.Read(conditionsPath);
            return console.Step($"Sampling {contexts.RowCount:N0} histories for the contexts in {conditionsPath}", p => model.SampleFor(contexts, seed, new SampleContext(p)));
        }
        int n = entities ?? defaultEntities;
        if (n <= 0) throw new TabTwinException("cli.rows", $"--rows counts the histories (entities) to sample and must be positive, not {n}.");
        return console.Step($"Sampling {n:N0} histories", p => model.Sample(n, seed, new SampleContext(p)));
    }

    /// <summary>
    /// Without metadata, a table that looks like histories is still learned row by row (a sequence changes what --rows
    /// counts, so it is the user's word), but the user is told, with the detector's reason and how to declare it.
    /// </summary>
    public static void HintWhenHistories(CliConsole console, Table data, TableSchema schema, string? metadataPath, string source)
    {
        if (metadataPath is not null || schema.Sequence is not null || SequenceDetector.Propose(data) is not { } proposal) return;
        console.Info($"note: this table looks like histories of '{proposal.Spec.Entity}' ordered by '{proposal.Spec.Order}' ({proposal.Reason}); it is learned row by row. " +
                     $"To learn whole histories: tabtwin inspect {source} -o metadata.json, then add --metadata metadata.json.");
    }

    /// <summary>Number of entities in <paramref name="data"/> (the default number of histories to sample).</summary>
    public static int Entities(Table data, TableSchema schema) => SequenceLayout.Of(data, schema.Sequence!).EntityCount;
}
