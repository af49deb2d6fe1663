using System.Globalization;

namespace TabTwin.Expressions;

/// <summary>
/// The built-in functions. Each entry type-checks its arguments and returns a closure factory. Every function
/// returns missing when an argument is missing, except is_missing, coalesce and if.
/// </summary>
internal static class Functions
{
    private const ExprType N = ExprType.Number, B = ExprType.Boolean, S = ExprType.String, T = ExprType.DateTime, D = ExprType.Duration;

    private delegate Typed Rule(Binder binder, CallNode call, Typed[] args);

    private static readonly Dictionary<string, Rule> Table = new(StringComparer.Ordinal)
    {
        ["days"] = (b, c, a) => SpanUnit(b, c, a, TimeSpan.TicksPerDay),
        ["hours"] = (b, c, a) => SpanUnit(b, c, a, TimeSpan.TicksPerHour),
        ["minutes"] = (b, c, a) => SpanUnit(b, c, a, TimeSpan.TicksPerMinute),
        ["abs"] = (b, c, a) => Arity(b, c, a, 1) && a[0].Type == D
            ? Map(D, a, v => Value.Span(Math.Abs((double)v[0].Ticks)))
            : NumberFn(b, c, a, Math.Abs),
        ["floor"] = (b, c, a) => NumberFn(b, c, a, Math.Floor),
        ["ceil"] = (b, c, a) => NumberFn(b, c, a, Math.Ceiling),
        ["sqrt"] = (b, c, a) => NumberFn(b, c, a, Math.Sqrt),
        ["exp"] = (b, c, a) => NumberFn(b, c, a, Math.Exp),
        ["log"] = (b, c, a) => a.Length == 2
            ? Map(N, Expect(b, c, a, N, N), v => Value.Num(Math.Log(v[0].Number, v[1].Number)))
            : NumberFn(b, c, a, Math.Log),
        ["pow"] = (b, c, a) => Map(N, Expect(b, c, a, N, N), v => Value.Num(Math.Pow(v[0].Number, v[1].Number))),
        ["round"] = (b, c, a) => a.Length == 2
            ? Map(N, Expect(b, c, a, N, N), v => Value.Num(Round(v[0].Number, v[1].Number)))
            : NumberFn(b, c, a, x => Math.Round(x, MidpointRounding.AwayFromZero)),
        ["min"] = (b, c, a) => Extreme(b, c, a, -1),
        ["max"] = (b, c, a) => Extreme(b, c, a, +1),
        ["year"] = (b, c, a) => DatePart(b, c, a, d => d.Year),
        ["month"] = (b, c, a) => DatePart(b, c, a, d => d.Month),
        ["day"] = (b, c, a) => DatePart(b, c, a, d => d.Day),
        ["weekday"] = (b, c, a) => DatePart(b, c, a, d => d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek),
        ["hour"] = (b, c, a) => DatePart(b, c, a, d => d.Hour),
        ["minute"] = (b, c, a) => DatePart(b, c, a, d => d.Minute),
        ["len"] = (b, c, a) => Map(N, Expect(b, c, a, S), v => Value.Num(v[0].Text!.Length)),
        ["lower"] = (b, c, a) => Map(S, Expect(b, c, a, S), v => Value.Str(v[0].Text!.ToLowerInvariant())),
        ["upper"] = (b, c, a) => Map(S, Expect(b, c, a, S), v => Value.Str(v[0].Text!.ToUpperInvariant())),
        ["trim"] = (b, c, a) => Map(S, Expect(b, c, a, S), v => Value.Str(v[0].Text!.Trim())),
        ["contains"] = (b, c, a) => Map(B, Expect(b, c, a, S, S), v => Value.Bool(v[0].Text!.Contains(v[1].Text!, StringComparison.Ordinal))),
        ["starts_with"] = (b, c, a) => Map(B, Expect(b, c, a, S, S), v => Value.Bool(v[0].Text!.StartsWith(v[1].Text!, StringComparison.Ordinal))),
        ["ends_with"] = (b, c, a) => Map(B, Expect(b, c, a, S, S), v => Value.Bool(v[0].Text!.EndsWith(v[1].Text!, StringComparison.Ordinal))),
        ["number"] = (b, c, a) => Map(N, Expect(b, c, a, S), v =>
            double.TryParse(v[0].Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? Value.Num(d) : Value.Missing),
        ["text"] = Text,
        ["date"] = (b, c, a) => ParseDate(b, c, a, dateOnly: true),
        ["datetime"] = (b, c, a) => ParseDate(b, c, a, dateOnly: false),
        ["approx"] = Approx,
        ["is_missing"] = IsMissing,
        ["coalesce"] = Coalesce,
        ["if"] = If,
    };

    /// <summary>All function names, for documentation and error messages.</summary>
    public static IReadOnlyCollection<string> Names => Table.Keys;

    public static Typed Bind(Binder binder, CallNode call)
    {
        if (!Table.TryGetValue(call.Name, out var rule))
            throw new ExpressionException("expr.unknown-function",
                $"Unknown function '{call.Name}'; the functions are: {string.Join(", ", Table.Keys.Order())}",
                binder.Text, call.Position);
        var args = call.Arguments.Select(binder.Bind).ToArray();
        return rule(binder, call, args);
    }

    private static string Signature(Typed[] args) => string.Join(", ", args.Select(a => ExprTypes.Name(a.Type)));

    private static ExpressionException Wrong(Binder b, CallNode c, Typed[] args, string expected) =>
        b.TypeError($"Function {c.Name}({Signature(args)}) is not defined; expected {c.Name}({expected})", c.Position);

    private static bool Arity(Binder b, CallNode c, Typed[] args, int count)
    {
        if (args.Length != count)
            throw b.TypeError($"Function {c.Name} takes {count} argument{(count == 1 ? "" : "s")} but was given {args.Length}", c.Position);
        return true;
    }

    /// <summary>Checks the exact argument types (null fits any) and returns the arguments.</summary>
    private static Typed[] Expect(Binder b, CallNode c, Typed[] args, params ExprType[] types)
    {
        if (args.Length != types.Length || args.Where((a, i) => a.Type != types[i] && a.Type != ExprType.Missing).Any())
            throw Wrong(b, c, args, string.Join(", ", types.Select(ExprTypes.Name)));
        return args;
    }

    /// <summary>A function of present arguments: missing in, missing out.</summary>
    private static Typed Map(ExprType result, Typed[] args, Func<Value[], Value> f) => new(result, s =>
    {
        var evals = args.Select(a => a.Build(s)).ToArray();
        if (evals.Length == 1) return row => { var v = evals[0](row); return v.IsMissing ? v : f([v]); };
        return row =>
        {
            var values = new Value[evals.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = evals[i](row);
                if (values[i].IsMissing) return Value.Missing;
            }
            return f(values);
        };
    });

    private static Typed NumberFn(Binder b, CallNode c, Typed[] a, Func<double, double> f) =>
        Map(N, Expect(b, c, a, N), v => Value.Num(f(v[0].Number)));

    private static double Round(double x, double digits)
    {
        int d = (int)Math.Clamp(Math.Round(digits), -15, 15);
        if (d >= 0) return Math.Round(x, d, MidpointRounding.AwayFromZero);
        double scale = Math.Pow(10, -d);
        return Math.Round(x / scale, MidpointRounding.AwayFromZero) * scale;
    }

    /// <summary>days(duration) is a number of days; days(number) is a duration of that many days (likewise hours, minutes).</summary>
    private static Typed SpanUnit(Binder b, CallNode c, Typed[] a, long ticksPerUnit)
    {
        Arity(b, c, a, 1);
        return a[0].Type switch
        {
            D => Map(N, a, v => Value.Num((double)v[0].Ticks / ticksPerUnit)),
            N => Map(D, a, v => Value.Span(v[0].Number * ticksPerUnit)),
            _ => throw Wrong(b, c, a, "duration) or " + c.Name + "(number"),
        };
    }

    private static Typed DatePart(Binder b, CallNode c, Typed[] a, Func<DateTime, int> part) =>
        Map(N, Expect(b, c, a, T), v => Value.Num(part(new DateTime(v[0].Ticks))));

    private static Typed Extreme(Binder b, CallNode c, Typed[] a, int sign)
    {
        if (a.Length < 2) throw b.TypeError($"Function {c.Name} takes at least 2 arguments but was given {a.Length}", c.Position);
        var type = Common(b, c, a);
        if (type is B or ExprType.Missing) throw Wrong(b, c, a, "number, number, ... (or datetimes, durations, strings)");
        var compare = Binder.Comparer(type);
        return Map(type, a, v =>
        {
            var best = v[0];
            for (int i = 1; i < v.Length; i++) if (compare(v[i], best) * sign > 0) best = v[i];
            return best;
        });
    }

    /// <summary>The one type all arguments share (null fits any); an error naming the function otherwise.</summary>
    private static ExprType Common(Binder b, CallNode c, IEnumerable<Typed> args)
    {
        var type = ExprType.Missing;
        foreach (var a in args)
        {
            if (a.Type == ExprType.Missing) continue;
            if (type == ExprType.Missing) type = a.Type;
            else if (a.Type != type)
                throw b.TypeError($"Function {c.Name} needs arguments of one type but got {string.Join(", ", args.Select(x => ExprTypes.Name(x.Type)))}", c.Position);
        }
        return type;
    }

    private static Typed Text(Binder b, CallNode c, Typed[] a)
    {
        Arity(b, c, a, 1);
        return a[0].Type switch
        {
            N => Map(S, a, v => Value.Str(v[0].Number.ToString("R", CultureInfo.InvariantCulture))),
            B => Map(S, a, v => Value.Str(v[0].IsTrue ? "true" : "false")),
            S => a[0],
            T => Map(S, a, v => Value.Str(new DateTime(v[0].Ticks).ToString(v[0].Ticks % TimeSpan.TicksPerDay == 0 ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture))),
            D => Map(S, a, v => Value.Str(TimeSpan.FromTicks(v[0].Ticks).ToString("c", CultureInfo.InvariantCulture))),
            _ => Binder.Constant(S, Value.Missing),
        };
    }

    private static readonly string[] DateFormats =
        ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];

    internal static bool TryParseDate(string? s, out DateTime value) =>
        DateTime.TryParseExact(s?.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>date('2020-01-31') / datetime('2020-01-31T08:00'): ISO text to a datetime (a literal is checked now);
    /// date(datetime) drops the time of day.</summary>
    private static Typed ParseDate(Binder b, CallNode c, Typed[] a, bool dateOnly)
    {
        Arity(b, c, a, 1);
        if (a[0].Type == T && dateOnly) return Map(T, a, v => Value.Time(v[0].Ticks - v[0].Ticks % TimeSpan.TicksPerDay));
        if (a[0].Type != S && a[0].Type != ExprType.Missing) throw Wrong(b, c, a, dateOnly ? "string) or date(datetime" : "string");
        if (c.Arguments[0] is LiteralNode { Value: string literal })
        {
            if (!TryParseDate(literal, out var parsed))
                throw new ExpressionException("expr.value", $"'{literal}' is not an ISO date such as 2020-01-31 or 2020-01-31T08:30:00",
                    b.Text, c.Arguments[0].Position);
            return Binder.Constant(T, Value.Time(dateOnly ? parsed.Date.Ticks : parsed.Ticks));
        }
        return Map(T, a, v => TryParseDate(v[0].Text, out var d) ? Value.Time(dateOnly ? d.Date.Ticks : d.Ticks) : Value.Missing);
    }

    /// <summary>approx(a, b[, tolerance]): |a − b| ≤ tolerance × max(1, |a|, |b|); tolerance defaults to 1e-9.</summary>
    private static Typed Approx(Binder b, CallNode c, Typed[] a)
    {
        if (a.Length == 2) a = [.. a, Binder.Constant(N, Value.Num(1e-9))];
        Expect(b, c, a, N, N, N);
        return Map(B, a, v =>
        {
            double x = v[0].Number, y = v[1].Number;
            return Value.Bool(Math.Abs(x - y) <= v[2].Number * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y))));
        });
    }

    private static Typed IsMissing(Binder b, CallNode c, Typed[] a)
    {
        Arity(b, c, a, 1);
        var arg = a[0];
        return new Typed(B, s => { var e = arg.Build(s); return row => Value.Bool(e(row).IsMissing); });
    }

    private static Typed Coalesce(Binder b, CallNode c, Typed[] a)
    {
        if (a.Length < 1) throw b.TypeError("Function coalesce takes at least 1 argument", c.Position);
        var type = Common(b, c, a);
        return new Typed(type, s =>
        {
            var evals = a.Select(x => x.Build(s)).ToArray();
            return row =>
            {
                foreach (var e in evals) { var v = e(row); if (v.Present) return v; }
                return Value.Missing;
            };
        });
    }

    /// <summary>if(condition, then, else): a missing condition takes the else branch (as SQL's CASE does).</summary>
    private static Typed If(Binder b, CallNode c, Typed[] a)
    {
        Arity(b, c, a, 3);
        if (a[0].Type != B) throw b.TypeError($"The condition of if() must be a boolean, not a {ExprTypes.Name(a[0].Type)}", c.Arguments[0].Position);
        var type = Common(b, c, a.Skip(1));
        return new Typed(type, s =>
        {
            var (cond, yes, no) = (a[0].Build(s), a[1].Build(s), a[2].Build(s));
            return row => { var v = cond(row); return v.Present && v.IsTrue ? yes(row) : no(row); };
        });
    }
}
