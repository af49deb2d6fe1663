using CsCheck;
using TabTwin.Expressions;
using TabTwin.Tables;

namespace TabTwin.Tests.Expressions;

public class ExpressionPropertyTests
{
    private static Gen<T> Pick<T>(params T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    private static readonly string[] ColumnNames = ["a", "b", "when", "label", "flag", "Odd Name", "in"];

    private static readonly Table Data = new([
        new NumericColumn("a", [1, -2.5, 0, 1e6], Bitmask.FromBools([false, false, true, false])),
        new NumericColumn("b", [0, 3, 7, -1]),
        new DateTimeColumn("when", [new DateTime(2020, 1, 1).Ticks, new DateTime(1999, 12, 31).Ticks, 0, DateTime.MaxValue.Ticks],
            Bitmask.FromBools([false, false, true, false])),
        CategoricalColumn.FromStrings("label", ["x", null, "y", "x"]),
        new BooleanColumn("flag", [true, false, true, false], Bitmask.FromBools([false, false, false, true])),
        new TextColumn("Odd Name", ["]]", "", null, "it's"]),
        new NumericColumn("in", [1, 2, 3, 4]),
    ]);

    private static readonly string[] FunctionNames =
        ["abs", "round", "min", "max", "days", "year", "len", "lower", "is_missing", "coalesce", "if", "date", "approx", "sqrt", "log", "text"];

    private static readonly Gen<ExprNode> Leaf = Gen.OneOf(
        Gen.Double[-1e6, 1e6].Select(d => (ExprNode)new LiteralNode(Math.Round(d, 3), 0)),
        Gen.Int[0, 100].Select(i => (ExprNode)new LiteralNode((double)i, 0)),
        Pick("x", "it's", "", "[a]").Select(s => (ExprNode)new LiteralNode(s, 0)),
        Pick<object?>(true, false, null).Select(v => (ExprNode)new LiteralNode(v, 0)),
        Pick(ColumnNames).Select(n => (ExprNode)new ColumnNode(n, 0)));

    private static Gen<ExprNode> Node(int depth)
    {
        if (depth == 0) return Leaf;
        var child = Node(depth - 1);
        return Gen.OneOf(
            Leaf,
            Gen.Select(Pick(Enum.GetValues<BinaryOperator>()), child, child, (op, l, r) => (ExprNode)new BinaryNode(op, l, r, 0, 0)),
            Gen.Select(Pick(Enum.GetValues<UnaryOperator>()), child, (op, o) => (ExprNode)new UnaryNode(op, o, 0)),
            Gen.Select(child, child.Array[1, 3], Gen.Bool, (v, items, neg) => (ExprNode)new InNode(v, items, neg, 0)),
            Gen.Select(child, child, child, Gen.Bool, (v, lo, hi, neg) => (ExprNode)new BetweenNode(v, lo, hi, neg, 0)),
            Gen.Select(Pick(FunctionNames), child.Array[0, 3], (f, args) => (ExprNode)new CallNode(f, args, 0)));
    }

    [Fact]
    public void Printing_then_parsing_gives_the_same_tree()
    {
        Node(4).Sample(tree =>
        {
            var text = ExpressionPrinter.Print(tree);
            var reparsed = Expression.Parse(text).Root;
            Assert.Equal(ExpressionPrinter.Print(tree, fullyParenthesized: true), ExpressionPrinter.Print(reparsed, fullyParenthesized: true));
            Assert.Equal(text, ExpressionPrinter.Print(reparsed));
        }, iter: 3000);
    }

    [Fact]
    public void Random_trees_bind_and_evaluate_or_fail_with_a_TabTwinException()
    {
        int evaluated = 0;
        Node(3).Sample(tree =>
        {
            try
            {
                var result = Expression.FromTree(tree).Evaluate(Data);
                Assert.Equal(Data.RowCount, result.Length);
                for (int i = 0; i < result.Length; i++) _ = result.GetValue(i);
                evaluated++;
            }
            catch (ExpressionException e)
            {
                Assert.StartsWith("expr.", e.Code);
            }
        }, iter: 3000);
        Assert.True(evaluated > 100, $"only {evaluated} random trees were well-typed");
    }

    [Fact]
    public void Random_text_never_throws_anything_but_an_ExpressionException()
    {
        var pieces = Pick("a", "b", "[Odd Name]", "(", ")", ",", "+", "-", "*", "/", "%", "==", "=", "<", ">=", "!",
            "&&", "||", " and ", " not ", " in ", " between ", "'s'", "\"q\"", "1", "2.5", "1e3", ".5", "round", "date('2020-01-01')",
            "if", "null", "true", "[", "]", "'", "&", "@", "\t", "days");
        pieces.Array[0, 14].Select(p => string.Concat(p)).Sample(text =>
        {
            try { Expression.Parse(text).Evaluate(Data); }
            catch (ExpressionException e) { Assert.StartsWith("expr.", e.Code); }
        }, iter: 5000);
    }
}
