using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Schema.Relational;
using TabTwin.Tables;

namespace TabTwin.Evaluation.MultiTable;

/// <summary>
/// Quality of a synthetic database against the real one, defined as SDMetrics' multi-table QualityReport (0.29) so the
/// numbers compare across tools:
/// <list type="bullet">
/// <item>Column Shapes and Column Pair Trends: the single-table definitions (<see cref="QualityReport"/>) applied to
/// every table, key columns left out, the details of all tables pooled into one mean (not a mean of table means).</item>
/// <item>Cardinality: per foreign key, CardinalityShapeSimilarity = 1 − the two-sample KS statistic between the
/// children-per-parent counts of every parent row (childless parents count 0); the mean over foreign keys.</item>
/// <item>Intertable Trends: per foreign key, the child rows inner-joined to their parent row (orphans and missing keys
/// drop out), each parent column paired with each child column and scored as in Column Pair Trends (numbers cut over the
/// joined rows, the same real-trend thresholds); the pooled mean over every foreign key's pairs. As in SDMetrics only the
/// direct parent counts: a grandparent's columns reach a grandchild through no pair.</item>
/// <item>Overall: the mean of the four, ignoring an undefined one (no relationship leaves two undefined).</item>
/// </list>
/// Beyond SDMetrics: composite keys are matched as tuples, a self-reference is joined like any other parent, and
/// contingency pairs use every joined row where SDMetrics draws a random 50,000 (the same choice as the single-table
/// report). Referential integrity (<see cref="RelationshipQuality.SyntheticIntegrity"/>) is reported beside the score.
/// </summary>
public static class MultiTableQuality
{
    public static MultiTableQualityResult Evaluate(RelationalData real, RelationalData synthetic, MultiTableQualityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        options ??= MultiTableQualityOptions.Default;
        var metadata = real.Metadata;
        foreach (var table in metadata.Tables)
            if (!synthetic.Tables.ContainsKey(table))
                throw new SchemaException("quality.missing-table", $"The synthetic database has no table '{table}', which the real one has.", file: table,
                    hint: "Evaluate a synthetic database sampled from a model of the same tables.");

        var schemas = metadata.Tables.ToDictionary(t => t, t => ScoredColumns(t, real, options), StringComparer.Ordinal);
        var tables = metadata.Tables.Select(t =>
        {
            RequireColumns(t, schemas[t], synthetic[t]);
            return new TableQuality(t, real[t].RowCount, synthetic[t].RowCount, schemas[t], QualityReport.Compute(real[t], synthetic[t], schemas[t], options.Pairs));
        }).ToList();
        var relationships = metadata.ForeignKeys.Select(fk => Relationship(fk, real, synthetic, schemas, options.Pairs)).ToList();

        double shapes = QualityKinds.MeanIgnoringNaN(tables.SelectMany(t => t.Quality.ColumnDetails.Select(c => c.Score)));
        double pairs = QualityKinds.MeanIgnoringNaN(tables.SelectMany(t => Counted(t.Quality.PairDetails)));
        double cardinality = QualityKinds.MeanIgnoringNaN(relationships.Select(r => r.Cardinality));
        double intertable = QualityKinds.MeanIgnoringNaN(relationships.SelectMany(r => Counted(r.IntertablePairs)));
        return new MultiTableQualityResult(QualityKinds.MeanIgnoringNaN([shapes, pairs, cardinality, intertable]),
            shapes, pairs, cardinality, intertable, tables, relationships);
    }

    /// <summary>1 − the KS statistic between two children-per-parent count samples (SDMetrics' CardinalityShapeSimilarity of one relationship).</summary>
    public static double CardinalityShapeSimilarity(IReadOnlyList<int> realCounts, IReadOnlyList<int> syntheticCounts)
    {
        if (realCounts.Count == 0 || syntheticCounts.Count == 0) return double.NaN;
        return 1 - KSComplement.KsStatistic([.. realCounts.Select(c => (double)c)], [.. syntheticCounts.Select(c => (double)c)]);
    }

    private static IEnumerable<double> Counted(IEnumerable<ColumnPairScore> pairs) =>
        pairs.Where(p => p.MeetsThreshold == true && !double.IsNaN(p.Score)).Select(p => p.Score);

    /// <summary>The table's evaluated columns: its schema's (given or detected) minus every key column.</summary>
    private static TableSchema ScoredColumns(string table, RelationalData real, MultiTableQualityOptions options)
    {
        var schema = options.Schemas?.GetValueOrDefault(table) ?? SchemaDetector.Detect(real[table]);
        if (options.Schemas?.ContainsKey(table) != true && real.Metadata.ColumnSchemas.TryGetValue(table, out var declared))
            schema = SchemaOverrides.Apply(schema, declared, real[table], table);
        var keys = new HashSet<string>(real.Metadata.PrimaryKeys[table], StringComparer.Ordinal);
        foreach (var fk in real.Metadata.ForeignKeys)
        {
            if (fk.ChildTable == table) keys.UnionWith(fk.ChildColumns);
            if (fk.ParentTable == table) keys.UnionWith(fk.ParentColumns);
        }
        return schema with { Columns = [.. schema.Columns.Where(c => !keys.Contains(c.Name) && QualityReport.IsEvaluated(c.Kind) && real[table].Contains(c.Name))] };
    }

    private static void RequireColumns(string table, TableSchema schema, Table synthetic)
    {
        foreach (var c in schema.Columns)
            if (!synthetic.Contains(c.Name))
                throw new SchemaException("quality.missing-column", $"The synthetic table '{table}' has no column '{c.Name}', which the real one has.",
                    column: c.Name, file: table, hint: "Evaluate a synthetic database sampled from a model of the same tables.");
    }

    private static RelationshipQuality Relationship(ForeignKey fk, RelationalData real, RelationalData synthetic,
        IReadOnlyDictionary<string, TableSchema> schemas, QualityOptions options)
    {
        foreach (var (table, columns) in new[] { (fk.ChildTable, fk.ChildColumns), (fk.ParentTable, fk.ParentColumns) })
            foreach (var c in columns.Where(c => !synthetic[table].Contains(c)))
                throw new SchemaException("quality.missing-column", $"The synthetic table '{table}' has no key column '{c}' of foreign key {fk}.", column: c, file: table);

        var realParent = RelationalKeys.RowKeys(real[fk.ParentTable], fk.ParentColumns);
        var realChild = RelationalKeys.RowKeys(real[fk.ChildTable], fk.ChildColumns);
        var synthParent = RelationalKeys.RowKeys(synthetic[fk.ParentTable], fk.ParentColumns);
        var synthChild = RelationalKeys.RowKeys(synthetic[fk.ChildTable], fk.ChildColumns);

        var realCounts = RelationalKeys.ChildrenPerParentRow(realParent, realChild);
        var synthCounts = RelationalKeys.ChildrenPerParentRow(synthParent, synthChild);
        double cardinality = CardinalityShapeSimilarity(realCounts, synthCounts);
        string? error = double.IsNaN(cardinality) ? $"The {(realCounts.Length == 0 ? "real" : "synthetic")} parent table '{fk.ParentTable}' has no rows." : null;
        double boundary = double.NaN;
        if (realCounts.Length > 0 && synthCounts.Length > 0)
        {
            int min = realCounts.Min(), max = realCounts.Max();
            boundary = synthCounts.Count(c => c >= min && c <= max) / (double)synthCounts.Length;
        }

        var pairs = IntertablePairs(fk, real, synthetic, schemas, options, (realChild, realParent), (synthChild, synthParent));
        return new RelationshipQuality(fk.ToString(), fk.ParentTable, fk.ChildTable, fk.ChildColumns, cardinality, boundary,
            Histogram(realCounts, synthCounts), QualityKinds.MeanIgnoringNaN(Counted(pairs)), pairs,
            RelationalKeys.Integrity(realParent, realChild), RelationalKeys.Integrity(synthParent, synthChild), error);
    }

    private static IReadOnlyList<ChildrenPerParent> Histogram(int[] real, int[] synthetic)
    {
        var counts = new SortedDictionary<int, (int Real, int Synthetic)>();
        foreach (var c in real) counts[c] = (counts.GetValueOrDefault(c).Real + 1, counts.GetValueOrDefault(c).Synthetic);
        foreach (var c in synthetic) counts[c] = (counts.GetValueOrDefault(c).Real, counts.GetValueOrDefault(c).Synthetic + 1);
        return [.. counts.Select(kv => new ChildrenPerParent(kv.Key, kv.Value.Real, kv.Value.Synthetic))];
    }

    /// <summary>
    /// Parent × child column pairs scored on the join. Columns are renamed with their table as prefix (SDMetrics'
    /// <c>table.column</c>; a self-reference's parent side gets <c>parent:</c> in front so the two sides stay apart)
    /// and reported without it.
    /// </summary>
    private static IReadOnlyList<ColumnPairScore> IntertablePairs(ForeignKey fk, RelationalData real, RelationalData synthetic,
        IReadOnlyDictionary<string, TableSchema> schemas, QualityOptions options,
        (string?[] Child, string?[] Parent) realKeys, (string?[] Child, string?[] Parent) syntheticKeys)
    {
        string childPrefix = fk.ChildTable + ".", parentPrefix = (fk.IsSelfReference ? "parent:" : "") + fk.ParentTable + ".";
        var parentColumns = schemas[fk.ParentTable].Columns;
        var childColumns = schemas[fk.ChildTable].Columns;
        if (parentColumns.Count == 0 || childColumns.Count == 0) return [];

        Table Joined(RelationalData data, (string?[] Child, string?[] Parent) keys)
        {
            var (childRows, parentRows) = RelationalKeys.InnerJoin(keys.Child, keys.Parent);
            return new Table(childColumns.Select(c => data[fk.ChildTable][c.Name].Take(childRows).WithName(childPrefix + c.Name))
                .Concat(parentColumns.Select(c => data[fk.ParentTable][c.Name].Take(parentRows).WithName(parentPrefix + c.Name))));
        }
        var realJoined = Joined(real, realKeys);
        var syntheticJoined = Joined(synthetic, syntheticKeys);
        var pairs = parentColumns.SelectMany(p => childColumns.Select(c => (p with { Name = parentPrefix + p.Name }, c with { Name = childPrefix + c.Name })));
        return [.. ColumnPairTrends.Details(realJoined, syntheticJoined, pairs, options).Select(s => s with
        {
            ColumnA = s.ColumnA[parentPrefix.Length..],
            ColumnB = s.ColumnB[childPrefix.Length..],
        })];
    }
}
