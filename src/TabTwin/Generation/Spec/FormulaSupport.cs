using TabTwin.Expressions;

namespace TabTwin.Generation.Spec;

/// <summary>
/// The link between spec formulas and TabTwin's expression language (<see cref="Expression"/>): which columns a
/// formula reads, and a type check of every formula against the types of the columns before it.
/// Expression errors become <see cref="SpecException"/>s naming the column and the <c>formula</c> field.
/// </summary>
internal static class FormulaSupport
{
    public static Expression Parse(string expression, ColumnSpec column, SpecLocation at)
    {
        try
        {
            return Expression.Parse(expression);
        }
        catch (ExpressionException e)
        {
            throw Wrap(e, column, at);
        }
    }

    /// <summary>The expression type of every column, working through formulas in dependency order.</summary>
    public static ExprType[] CheckTypes(TableSpec table, int[] order, SpecLocation at)
    {
        var types = new ExprType[table.Columns.Count];
        for (int k = 0; k < order.Length; k++)
        {
            int i = order[k];
            var column = table.Columns[i];
            if (column.Distribution is Distribution.Formula f)
            {
                var cat = at.InColumn(column.Name, column.Line);
                var known = order.Take(k).Select(j => new KeyValuePair<string, ExprType>(table.Columns[j].Name, types[j]));
                try
                {
                    types[i] = Parse(f.Expression, column, cat).Bind(known).Type;
                }
                catch (ExpressionException e)
                {
                    throw Wrap(e, column, cat);
                }
            }
            else types[i] = SpecValidator.ValueKindOf(column.Distribution) switch
            {
                "number" => ExprType.Number,
                "boolean" => ExprType.Boolean,
                "datetime" => ExprType.DateTime,
                _ => ExprType.String,
            };
        }
        return types;
    }

    private static SpecException Wrap(ExpressionException e, ColumnSpec column, SpecLocation at)
    {
        var where = (at.Column is null ? at.InColumn(column.Name, column.Line) : at).At("formula", column.LineOf("formula"));
        return new SpecException("spec.formula", $"{where.Describe()}: {e.Message}", where.Table, column.Name, "formula", where.Line, where.File, e.Hint, e);
    }
}
