namespace TabTwin.Generation.Spec;

/// <summary>
/// The link between spec formulas and the expression language (src/TabTwin/Expressions): which columns a formula reads.
/// </summary>
internal static class FormulaSupport
{
    public static IEnumerable<string> Inputs(string expression, ColumnSpec column)
    {
        // Filled in once the shared expression language is available; until then formulas are rejected at generation.
        return [];
    }
}
