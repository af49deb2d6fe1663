namespace TabTwin.Generation.Spec;

/// <summary>
/// A generation spec that cannot be used: unknown distribution, bad parameter, cyclic dependency, impossible
/// correlation matrix… The message names the table, column and field (and the spec line when the file gives it),
/// and <see cref="TabTwinException.Code"/> is a stable <c>spec.*</c> code.
/// </summary>
public sealed class SpecException : TabTwinException
{
    public SpecException(string code, string message, string? table = null, string? column = null, string? field = null,
        int? line = null, string? file = null, string? hint = null, Exception? inner = null)
        : base(code, message, column, null, file, hint, inner)
    {
        Table = table;
        Field = field;
        Line = line;
    }

    /// <summary>The spec table concerned, when there is one.</summary>
    public string? Table { get; }
    /// <summary>The field of the column (or table) concerned, e.g. <c>sd</c> or <c>correlations.matrix</c>.</summary>
    public string? Field { get; }
    /// <summary>The 1-based line in the spec file, when the file format gives it.</summary>
    public int? Line { get; }
}

/// <summary>A problem in a spec that generation can work around (e.g. a correlation matrix repaired to the nearest valid one).</summary>
public sealed record SpecWarning(string Code, string Message, string? Table = null, string? Column = null, string? Field = null)
{
    public override string ToString() => Message;
}

/// <summary>Builds spec error messages that say where: "table 'orders', column 'amount', field 'sd' (line 12): …".</summary>
internal readonly record struct SpecLocation(string? File, string? Table, string? Column, string? Field, int? Line)
{
    public SpecLocation At(string? field, int? line) => this with { Field = field, Line = line ?? Line };
    public SpecLocation InColumn(string column, int? line) => this with { Column = column, Field = null, Line = line ?? Line };

    public string Describe()
    {
        var parts = new List<string>();
        if (Table is not null) parts.Add($"table '{Table}'");
        if (Column is not null) parts.Add($"column '{Column}'");
        if (Field is not null) parts.Add($"field '{Field}'");
        var where = parts.Count == 0 ? "spec" : string.Join(", ", parts);
        if (Line is not null) where += $" (line {Line})";
        return where;
    }

    public SpecException Error(string code, string what, string? hint = null) =>
        new(code, $"{Describe()}: {what}", Table, Column, Field, Line, File, hint);
}
