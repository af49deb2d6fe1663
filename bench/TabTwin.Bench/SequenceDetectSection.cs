using System.Diagnostics;
using System.Globalization;
using System.Text;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Bench;

/// <summary>
/// How long sequence detection (what <c>tabtwin inspect</c> adds for issue 17) takes on a million rows, against the column
/// detection inspect already runs on the same table: on a million-event history table (cdnow's 69,659 purchases tiled 15
/// times with the customers renamed per copy, so 353,550 customers) and on the generated 1,000,000 × 20 table (no
/// histories: its one id-named column is a unique key and its dates have missing values, so one pass over 'id' settles it).
/// </summary>
internal sealed class SequenceDetectSection : BenchSection
{
    private const int Copies = 15;

    public override string Key => "seqdetect";

    public override Dictionary<string, string>? RunCase(string name, string[] args) => name == "seq-detect" ? Measure(args[0], args[1]) : null;

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine("## Sequence detection on 1,000,000 rows (`tabtwin inspect`'s proposal, issue 17)");
        sb.AppendLine();
        sb.AppendLine($"Tables: cdnow's purchases tiled {Copies}× with customers renamed per copy (a long table of histories), and the generated 1,000,000 × 20 table of the csv section (no histories: its id column is a unique key, its dates have missing values, so one pass over `id` settles it). "
            + "Baseline: SchemaDetector.Detect (the column kinds inspect detects anyway) on the same loaded table; times exclude reading the CSV.");
        sb.AppendLine();
        sb.AppendLine("| table | rows | column detection (s) | sequence detection (s) | vs baseline | peak RSS (MB) | proposal |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        var cdnow = context.Child("seq-detect", "cdnow", Path.Combine(context.Datasets, "cdnow", "cdnow_master.csv"));
        var wide = context.Child("seq-detect", "wide", WideTable.Ensure(context));
        foreach (var (label, r) in new[] { ($"cdnow × {Copies}", cdnow), ("generated 1M × 20", wide) })
            sb.AppendLine($"| {label} | {r["rows"]} | {r["schemaSeconds"]} | {r["sequenceSeconds"]} | {Ratio(r["sequenceSeconds"], r["schemaSeconds"])} | {r["peakMb"]} | {r["proposal"]} |");
    }

    private static Dictionary<string, string> Measure(string kind, string path)
    {
        var table = TableReader.Read(path);
        if (kind == "cdnow") table = Tile(table);
        var sw = Stopwatch.StartNew();
        SchemaDetector.Detect(table);
        double schema = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var proposal = SequenceDetector.Propose(table);
        double sequence = sw.Elapsed.TotalSeconds;
        return new()
        {
            ["rows"] = table.RowCount.ToString("N0", CultureInfo.InvariantCulture),
            ["schemaSeconds"] = F(schema, "0.000"),
            ["sequenceSeconds"] = F(sequence, "0.000"),
            ["peakMb"] = F(MachineInfo.PeakRssMb(), "0"),
            ["proposal"] = proposal is null ? "none" : $"{proposal.Spec.Entity} by {proposal.Spec.Order}",
        };
    }

    /// <summary>The table <see cref="Copies"/> times over, each copy's customer ids suffixed so every copy adds new customers.</summary>
    private static Table Tile(Table t)
    {
        var rows = Enumerable.Range(0, Copies).SelectMany(_ => Enumerable.Range(0, t.RowCount)).ToArray();
        var tiled = t.Take(rows);
        var ids = tiled["customer_id"];
        var renamed = Enumerable.Range(0, rows.Length).Select(i => (string?)$"{ids.FormatValue(i)}-{i / t.RowCount}").ToArray();
        return tiled.WithColumn(CategoricalColumn.FromStrings("customer_id", renamed));
    }
}
