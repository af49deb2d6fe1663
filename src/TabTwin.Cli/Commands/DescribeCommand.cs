using System.CommandLine;
using TabTwin.Generation.Describe;
using TabTwin.IO;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin describe data.csv -o spec.yaml</c>: a privacy-safe description of a real table as a generation spec —
/// fitted marginals, category weights without rare categories, strong associations as dependsOn/cases, rank
/// correlations, no records — to share and generate
/// from anywhere with <c>tabtwin generate spec.yaml</c>.
/// </summary>
internal static class DescribeCommand
{
    public static Command Build(CliConsole console)
    {
        var source = CommonOptions.Source();
        var output = CommonOptions.Output("Spec file to write: .yaml/.yml (default) or .json.");
        var format = CommonOptions.Format();
        var encoding = CommonOptions.Encoding();
        var table = CommonOptions.TableName();
        var query = CommonOptions.Query();
        var metadata = CommonOptions.Metadata();
        var locale = CommonOptions.Locale();
        var name = new Option<string?>("--name") { Description = "Table name in the spec (default: the input file's name)." };
        var minCount = new Option<int>("--min-count") { Description = "Smallest number of rows any published bin, category or weight may summarise (k).", DefaultValueFactory = _ => 10 };
        var clip = new Option<double>("--clip") { Description = "Numbers and dates are described between these quantiles (default 0.01: the 1st to 99th percentile).", DefaultValueFactory = _ => 0.01 };
        var dropRare = new Option<bool>("--drop-rare") { Description = "Leave rare categories out instead of pooling them into \"(other)\"." };
        var noCorrelations = new Option<bool>("--no-correlations") { Description = "Do not write the rank-correlation matrix." };
        var associations = new Option<string>("--associations")
        {
            Description = "none: categorical columns independent; pairs (default): strongly associated columns written as dependsOn/cases (a forest, no cycles).",
            DefaultValueFactory = _ => "pairs",
        };
        associations.AcceptOnlyFromAmong("none", "pairs");
        var maxCases = new Option<int>("--max-cases") { Description = "Most cases one conditional column may have (its parent's most frequent categories; the rest share the default).", DefaultValueFactory = _ => 12 };
        var seed = new Option<ulong?>("--seed") { Description = "Seed to write into the spec (default: none)." };
        var quiet = CommonOptions.Quiet();

        var cmd = new Command("describe", "Write a generation spec (YAML/JSON) that describes a real table without containing it.")
        {
            source, output, format, encoding, table, query, metadata, locale, name, minCount, clip, dropRare, noCorrelations, associations, maxCases, seed, quiet,
        };
        var outputs = new OutputOptions();
        cmd.Add(outputs.Overwrite);
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            outputs.Check(r, null, null, r.GetValue(output));
            var input = r.GetValue(source)!;
            var data = CommonOptions.ReadTable(console, input, r.GetValue(format), r.GetValue(table), r.GetValue(query), r.GetValue(encoding));
            var schema = CommonOptions.ResolveSchema(data, r.GetValue(metadata), r.GetValue(locale));
            var options = new DescribeOptions
            {
                TableName = r.GetValue(name) ?? r.GetValue(table) ?? DefaultName(input),
                MinimumCount = r.GetValue(minCount), ClipQuantile = r.GetValue(clip), Seed = r.GetValue(seed),
                RareCategories = r.GetValue(dropRare) ? RareCategoryHandling.Drop : RareCategoryHandling.Other,
                Correlations = !r.GetValue(noCorrelations),
                Associations = r.GetValue(associations) == "none" ? AssociationHandling.None : AssociationHandling.Pairs,
                MaximumCases = r.GetValue(maxCases),
            };
            DescribeResult result;
            try { result = console.Step("Describing", _ => SpecDescriber.DescribeWithNotes(data, schema, options)); }
            catch (ArgumentException e) { throw new TabTwinException("cli.describe", e.Message); }
            var path = r.GetValue(output)!;
            SpecYamlWriter.Save(result.Spec, path,
            [
                $"Described by TabTwin from {TableReader.Describe(input, r.GetValue(format))} ({data.RowCount:N0} rows × {data.ColumnCount} columns).",
                $"No records: fitted distributions, bins and categories of at least {options.MinimumCount} rows, values between the",
                FormattableString.Invariant($"{options.ClipQuantile * 100:0.##}% and {(1 - options.ClipQuantile) * 100:0.##}% quantiles. Generate with: tabtwin generate {Path.GetFileName(path)} -o data.csv"),
            ]);
            foreach (var note in result.Notes) console.Error($"note: {note}");
            var t = result.Spec.Tables[0];
            int conditional = t.Columns.Count(c => c.Distribution is TabTwin.Generation.Spec.Distribution.Conditional);
            console.Out($"spec for '{t.Name}' ({t.Columns.Count} columns{(t.Correlations is { } c ? $", {c.Columns.Count}×{c.Columns.Count} rank correlations" : "")}{(conditional > 0 ? $", {conditional} conditional on another column" : "")}) written to {path}");
            return CliApp.ExitOk;
        });
        return cmd;
    }

    private static string DefaultName(string input)
    {
        var file = Path.GetFileNameWithoutExtension(input.Contains("://") ? "data" : input[(input.IndexOf(':') > 1 ? input.IndexOf(':') + 1 : 0)..]);
        return string.IsNullOrWhiteSpace(file) ? "data" : file;
    }
}
