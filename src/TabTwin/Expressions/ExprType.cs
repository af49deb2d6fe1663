using TabTwin.Tables;

namespace TabTwin.Expressions;

/// <summary>The static type of an expression or sub-expression.</summary>
public enum ExprType
{
    /// <summary>A double; results that are not a number (0/0, sqrt(-1)) are missing.</summary>
    Number,
    /// <summary>true/false.</summary>
    Boolean,
    /// <summary>Text (categorical and text columns, string literals).</summary>
    String,
    /// <summary>A date/time, compared and subtracted by its wall-clock value as written (UTC offsets are ignored).</summary>
    DateTime,
    /// <summary>A time span: the difference of two datetimes, or days(n)/hours(n)/minutes(n).</summary>
    Duration,
    /// <summary>The type of the literal <c>null</c>: fits wherever any type is expected.</summary>
    Missing,
}

public static class ExprTypes
{
    /// <summary>The expression type a column of this storage type has.</summary>
    public static ExprType Of(ColumnType type) => type switch
    {
        ColumnType.Numeric => ExprType.Number,
        ColumnType.Boolean => ExprType.Boolean,
        ColumnType.DateTime => ExprType.DateTime,
        _ => ExprType.String,
    };

    /// <summary>Lower-case name used in messages and documentation.</summary>
    public static string Name(ExprType t) => t switch
    {
        ExprType.Number => "number",
        ExprType.Boolean => "boolean",
        ExprType.String => "string",
        ExprType.DateTime => "datetime",
        ExprType.Duration => "duration",
        _ => "null",
    };
}
