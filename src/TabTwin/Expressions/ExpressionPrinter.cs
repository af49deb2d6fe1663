using System.Globalization;
using System.Text;

namespace TabTwin.Expressions;

/// <summary>
/// Turns a syntax tree back into text with only the parentheses it needs (or all of them). The output parses
/// back to the same tree: that round trip is property-tested.
/// </summary>
public static class ExpressionPrinter
{
    // Binding strength, weakest first; mirrors the parser's grammar levels.
    private const int OrLevel = 1, AndLevel = 2, NotLevel = 3, CompareLevel = 4, AddLevel = 5, MulLevel = 6, NegateLevel = 7, AtomLevel = 8;

    public static string Print(ExprNode node, bool fullyParenthesized = false)
    {
        var sb = new StringBuilder();
        Write(sb, node, fullyParenthesized);
        return sb.ToString();
    }

    internal static string OperatorText(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+", BinaryOperator.Subtract => "-", BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/", BinaryOperator.Modulo => "%",
        BinaryOperator.Equal => "==", BinaryOperator.NotEqual => "!=", BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=", BinaryOperator.Greater => ">", BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.And => "&&", _ => "||",
    };

    internal static int Level(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => OrLevel,
        BinaryOperator.And => AndLevel,
        BinaryOperator.Add or BinaryOperator.Subtract => AddLevel,
        BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo => MulLevel,
        _ => CompareLevel,
    };

    private static int Level(ExprNode node) => node switch
    {
        BinaryNode b => Level(b.Operator),
        InNode or BetweenNode => CompareLevel,
        UnaryNode { Operator: UnaryOperator.Not } => NotLevel,
        UnaryNode => NegateLevel,
        LiteralNode { Value: double d } when d < 0 || double.IsNegative(d) => NegateLevel,
        _ => AtomLevel,
    };

    private static void Write(StringBuilder sb, ExprNode node, bool full)
    {
        switch (node)
        {
            case LiteralNode l: WriteLiteral(sb, l.Value); break;
            case ColumnNode c: WriteColumn(sb, c.Name); break;
            case UnaryNode u:
                sb.Append(u.Operator == UnaryOperator.Negate ? "-" : "!");
                // -(3) keeps a negated literal distinct from the literal -3, which the parser folds.
                if (u.Operator == UnaryOperator.Negate && u.Operand is LiteralNode { Value: double })
                    sb.Append('(').Append(Print(u.Operand)).Append(')');
                else
                    Child(sb, u.Operand, full || Level(u.Operand) < (u.Operator == UnaryOperator.Negate ? NegateLevel : NotLevel), full);
                break;
            case BinaryNode b:
            {
                int level = Level(b.Operator);
                // Left-associative: a right operand of equal strength needs parentheses; comparisons do not chain at all.
                bool compare = level == CompareLevel;
                Child(sb, b.Left, full || Level(b.Left) < level || (compare && Level(b.Left) == level), full);
                sb.Append(' ').Append(OperatorText(b.Operator)).Append(' ');
                Child(sb, b.Right, full || Level(b.Right) <= level, full);
                break;
            }
            case InNode i:
                Child(sb, i.Value, full || Level(i.Value) <= CompareLevel, full);
                sb.Append(i.Negated ? " not in (" : " in (");
                for (int k = 0; k < i.Items.Count; k++)
                {
                    if (k > 0) sb.Append(", ");
                    Write(sb, i.Items[k], full);
                }
                sb.Append(')');
                break;
            case BetweenNode bt:
                Child(sb, bt.Value, full || Level(bt.Value) <= CompareLevel, full);
                sb.Append(bt.Negated ? " not between " : " between ");
                Child(sb, bt.Low, full || Level(bt.Low) <= CompareLevel, full);
                sb.Append(" and ");
                Child(sb, bt.High, full || Level(bt.High) <= CompareLevel, full);
                break;
            case CallNode f:
                sb.Append(f.Name).Append('(');
                for (int k = 0; k < f.Arguments.Count; k++)
                {
                    if (k > 0) sb.Append(", ");
                    Write(sb, f.Arguments[k], full);
                }
                sb.Append(')');
                break;
            default: throw new ArgumentException($"Unknown node {node.GetType().Name}.");
        }
    }

    private static void Child(StringBuilder sb, ExprNode child, bool parens, bool full)
    {
        if (parens && Level(child) < AtomLevel) { sb.Append('('); Write(sb, child, full); sb.Append(')'); }
        else Write(sb, child, full);
    }

    internal static void WriteLiteral(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case string s: sb.Append('\'').Append(s.Replace("'", "''")).Append('\''); break;
            default: throw new ArgumentException($"Unsupported literal {value.GetType().Name}.");
        }
    }

    /// <summary>Bare when the name is a plain identifier that is not a keyword; otherwise [bracketed].</summary>
    public static string FormatColumn(string name)
    {
        var sb = new StringBuilder();
        WriteColumn(sb, name);
        return sb.ToString();
    }

    private static void WriteColumn(StringBuilder sb, string name)
    {
        bool plain = name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_')
            && name.All(ch => char.IsLetterOrDigit(ch) || ch == '_') && !Parser.IsKeyword(name);
        if (plain) sb.Append(name);
        else sb.Append('[').Append(name.Replace("]", "]]")).Append(']');
    }
}
