using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// A transform that models several columns as one internal column and splits it back (fixed combinations, one-hot
/// groups, date parts). Merges reproduce real value combinations, so they go first (<see cref="Priority"/> 0); the
/// saved state is the internal column's name and the templates that rebuild the original columns.
/// </summary>
internal abstract class MergedColumnsTransform(string[] merged, ColumnTemplate[] templates, string internalColumn) : ConstraintTransform
{
    /// <summary>The original columns, in the order of <see cref="Templates"/>.</summary>
    protected string[] Merged => merged;
    protected ColumnTemplate[] Templates => templates;
    /// <summary>The internal column the synthesizer learns in their place.</summary>
    protected string InternalColumn => internalColumn;

    public override int Priority => 0;
    public override IReadOnlyCollection<string> Reads => [];
    public override IReadOnlyCollection<string> Consumes => merged;

    public override JsonObject State() => new()
    {
        ["column"] = internalColumn, ["templates"] = JsonSerializer.SerializeToNode(templates, ConstraintJson.Options),
    };

    /// <summary>The templates and internal column name written by <see cref="State"/>.</summary>
    public static (ColumnTemplate[] Templates, string Column) ReadState(JsonObject state) =>
        (state["templates"].Deserialize<ColumnTemplate[]>(ConstraintJson.Options)!, (string)state["column"]!);

    /// <summary>Each row has all of <paramref name="columns"/> or none: only then is one merged column lossless.</summary>
    public static bool AllOrNoneMissing(Table table, IReadOnlyList<string> columns)
    {
        var cols = columns.Select(c => table[c]).ToArray();
        for (int i = 0; i < table.RowCount; i++)
        {
            int missing = cols.Count(c => c.IsMissing(i));
            if (missing != 0 && missing != cols.Length) return false;
        }
        return true;
    }

    /// <summary>The templates that rebuild <paramref name="columns"/> as they are in <paramref name="table"/>.</summary>
    public static ColumnTemplate[] TemplatesOf(Table table, IReadOnlyList<string> columns) =>
        columns.Select(c => ColumnTemplate.Of(table[c])).ToArray();
}
