using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using TabTwin.Evaluation.MultiTable;
using TabTwin.Evaluation.Privacy;
using TabTwin.Evaluation.Quality;
using TabTwin.Generation;
using TabTwin.Generation.Related;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.MultiTable;
using TabTwin.Schema;
using TabTwin.Schema.Relational;

namespace TabTwin.Bench;

/// <summary>The measurements of <see cref="MultiTableSection"/>, each run in its own child process.</summary>
internal static class MultiTableCases
{
    /// <summary>customers → orders (poisson(10)): 100,000 customers give about a million orders.</summary>
    internal const string MillionSpec = """
        version: 1
        seed: 17
        tables:
          - name: customers
            rows: 100000
            columns:
              customer_id: { type: id, format: "CUST-{00000000}" }
              segment: { type: categorical, values: { consumer: 0.7, small_business: 0.25, enterprise: 0.05 } }
              region: { type: categorical, values: { north: 0.3, south: 0.3, east: 0.2, west: 0.2 } }
              signup_date: { type: date, from: 2021-01-01, to: 2024-12-31 }
          - name: orders
            parent: { table: customers, children: poisson(10), after: { ordered_at: { column: signup_date, gap: exponential(mean=45) } } }
            columns:
              order_id: { type: sequence, start: 100001 }
              ordered_at: { type: datetime, from: 2021-01-01, to: 2025-06-30, resolution: second }
              channel: { type: categorical, values: { web: 0.6, app: 0.3, phone: 0.1 } }
              amount: { type: lognormal, mean: 80, sd: 60, round: 2 }
              items: { type: poisson, lambda: 2, min: 1, max: 30 }
        """;

    /// <summary>
    /// What <c>tabtwin run &lt;folder&gt; -o out.sqlite --seed 1</c> runs (<see cref="DatabaseSynthesis.Run"/>), timed per
    /// step in a cold process (JIT included, as the command line pays it), then scored as <c>tabtwin evaluate --real
    /// &lt;folder&gt; --synthetic out.sqlite</c> reads and scores them. Peak RSS is taken before the evaluation.
    /// </summary>
    public static Dictionary<string, string> Run(string folder, string output, bool evaluate)
    {
        Clean(output);
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var marks = new List<(string Step, TimeSpan At)>();
        var options = new DatabaseSynthesisOptions
        {
            Fit = new MultiTableOptions { Seed = 1 },
            Step = s => marks.Add((s.Split(' ')[0], clock.Elapsed)),
        };
        var result = DatabaseSynthesis.Run(folder, output, options);
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        double peak = MachineInfo.PeakRssMb();
        double Between(string from, string to) =>
            ((marks.FirstOrDefault(m => m.Step == to).At is var end && end > TimeSpan.Zero ? end : clock.Elapsed) - marks.First(m => m.Step == from).At).TotalSeconds;
        var r = new Dictionary<string, string>
        {
            ["seconds"] = F(wall, "0.0"), ["cpuSeconds"] = F(cpu, "0.0"), ["peakMb"] = F(peak, "0"),
            ["read"] = F(Between("Reading", "Fitting"), "0.0"), ["fit"] = F(Between("Fitting", "Sampling"), "0.0"),
            ["sample"] = F(Between("Sampling", "Writing"), "0.0"), ["write"] = F(wall - marks.First(m => m.Step == "Writing").At.TotalSeconds, "0.0"),
            ["syntheticRows"] = result.Synthetic.RowCount.ToString(CultureInfo.InvariantCulture),
            ["tables"] = result.Synthetic.Metadata.Tables.Count.ToString(CultureInfo.InvariantCulture),
            ["foreignKeys"] = result.Synthetic.Metadata.ForeignKeys.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (evaluate) Evaluate(folder, output, r);
        Clean(output);
        return r;
    }

    private static void Evaluate(string folder, string output, Dictionary<string, string> r)
    {
        var real = RelationalSource.Read(folder, new RelationalReadOptions { Orphans = OrphanPolicy.Keep });
        var synthetic = RelationalSource.Read(output, new RelationalReadOptions { Orphans = OrphanPolicy.Keep, ProposeKeys = false });
        var q = MultiTableQuality.Evaluate(real, synthetic);
        var worst = q.Relationships.Where(x => double.IsFinite(x.Cardinality)).MinBy(x => x.Cardinality);
        r["rows"] = real.RowCount.ToString(CultureInfo.InvariantCulture);
        r["overall"] = F(q.Overall); r["shapes"] = F(q.ColumnShapes); r["pairs"] = F(q.ColumnPairTrends);
        r["cardinality"] = F(q.Cardinality); r["intertable"] = F(q.IntertableTrends); r["integrity"] = F(q.ReferentialIntegrity);
        r["minCardinality"] = worst is null ? "–" : F(worst.Cardinality);
        r["minCardinalityKey"] = worst?.Relationship ?? "–";
        r["cardinalities"] = string.Join("; ", q.Relationships.Select(x => $"{x.Relationship} {F(x.Cardinality, "0.00")}"));
    }

    /// <summary>
    /// DCR share per table: the database read as <c>tabtwin run</c> reads it, split by <see cref="RelationalHoldout"/>
    /// (80 % train, children follow their parent), learned from train and sampled at scale 1; each table's synthetic rows
    /// against its train rows and its unseen held-out rows, key columns left out (they are regenerated, never learned).
    /// </summary>
    public static Dictionary<string, string> Privacy(string folder)
    {
        var data = RelationalSource.Read(folder);
        var split = RelationalHoldout.Split(data, 0.8, seed: 0);
        var model = MultiTableSynthesizer.Fit(split.Train, new MultiTableOptions { Seed = 1 });
        var synthetic = model.Sample(1, seed: 2);
        var rows = new List<string>();
        foreach (var table in data.Metadata.Tables)
        {
            var (train, holdout, synth) = (split.Train[table], split.Unseen[table], synthetic[table]);
            var schema = NonKeyColumns(split.Train, table);
            string followed = split.Followed[table] is { } fk ? fk.ParentTable : "own rows";
            if (schema.Columns.Count == 0 || train.RowCount < 2 || holdout.RowCount < 2 || synth.RowCount < 1)
            {
                rows.Add(string.Join('|', table, followed, train.RowCount, holdout.RowCount, schema.Columns.Count == 0 ? "no-columns" : "too-few", "–", "–", split.SharedRows(table)));
                continue;
            }
            var p = PrivacyReport.Compute(train, holdout, synth, schema);
            rows.Add(string.Join('|', table, followed, train.RowCount, holdout.RowCount, F(p.DcrShare.Value), F(p.DcrShare.Lower), F(p.DcrShare.Upper), split.SharedRows(table)));
        }
        return new()
        {
            ["tables"] = string.Join(';', rows),
            ["cut"] = string.Join("; ", split.Train.Orphans.Select(o => $"{o.ForeignKey.ChildTable}.{string.Join(",", o.ForeignKey.ChildColumns)} {o.Rows:N0} of {o.ChildRows:N0}")),
            ["shared"] = string.Join("; ", data.Metadata.Tables.Where(t => split.SharedRows(t) > 0).Select(t => $"{t} {split.SharedRows(t):N0}")),
            ["trainRows"] = split.Train.RowCount.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The table's detected columns with the database's declared kinds over them, key columns and unscored kinds left out (as the quality report scores them).</summary>
    private static TableSchema NonKeyColumns(RelationalData data, string table)
    {
        var schema = SchemaDetector.Detect(data[table]);
        if (data.Metadata.ColumnSchemas.TryGetValue(table, out var declared)) schema = SchemaOverrides.Apply(schema, declared, data[table], table);
        var keys = new HashSet<string>(data.Metadata.PrimaryKeys[table], StringComparer.Ordinal);
        foreach (var fk in data.Metadata.ForeignKeys)
        {
            if (fk.ChildTable == table) keys.UnionWith(fk.ChildColumns);
            if (fk.ParentTable == table) keys.UnionWith(fk.ParentColumns);
        }
        return schema with { Columns = [.. schema.Columns.Where(c => !keys.Contains(c.Name) && QualityReport.IsEvaluated(c.Kind))] };
    }

    /// <summary>The same run on 1 and on 2 threads: the SQLite files' SHA-256 and each table's content hash.</summary>
    public static Dictionary<string, string> Determinism(string folder, string work)
    {
        var hashes = new List<(string File, string Tables)>();
        foreach (int threads in new[] { 1, 2 })
        {
            var output = Path.Combine(work, $"determinism-{threads}.sqlite");
            Clean(output);
            DatabaseSynthesis.Run(folder, output, new DatabaseSynthesisOptions { Fit = new MultiTableOptions { Seed = 1, MaxThreads = threads } });
            var back = RelationalSource.Read(output, new RelationalReadOptions { ProposeKeys = false });
            var tables = string.Join(",", back.Metadata.Tables.Order(StringComparer.Ordinal).Select(t => Hash(string.Join("\n",
                Enumerable.Range(0, back[t].RowCount).Select(i => string.Join(",", back[t].FormatRow(i)))))));
            hashes.Add((Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(output))), tables));
            Clean(output);
        }
        return new()
        {
            ["fileHash"] = hashes[0].File[..16], ["sameFile"] = (hashes[0].File == hashes[1].File).ToString(),
            ["sameTables"] = (hashes[0].Tables == hashes[1].Tables).ToString(),
        };
    }

    /// <summary>The million-row database as <c>tabtwin generate million.yaml -o &lt;folder&gt;</c> writes it (one CSV file per table).</summary>
    public static Dictionary<string, string> Generate(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var result = RelatedTablesGenerator.GenerateTo(SpecReader.FromYaml(MillionSpec), folder, new GenerateOptions());
        return result.Tables.ToDictionary(t => t.Table, t => t.Rows.ToString(CultureInfo.InvariantCulture));
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12];

    private static void Clean(string path)
    {
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" }) if (File.Exists(file)) File.Delete(file);
    }

    private static string F(double v, string format = "0.000") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
