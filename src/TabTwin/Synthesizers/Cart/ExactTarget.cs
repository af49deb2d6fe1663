namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// A regression tree's target as the split statistics see it: the value times a power of two (so the largest magnitude is
/// below 1; at 1e150, (n · value)² had overflowed and every gain was NaN), centred on the mean, and rounded to a fixed-point
/// grid of 2^−q — and its square rounded to 2^−(q−2). With q = 50 − ⌈log₂ n⌉ for n present values, every sum of targets or
/// squares over any subset of rows stays below 2^51 grid units, so double additions are exact: a node's count, sum and sum of
/// squares do not depend on the order rows are added in. That is what lets a fit split its rows across chunks, passes,
/// partitions and machines and still grow the in-memory fit's trees bit for bit. The rounding is at most 2^−q of the
/// column's magnitude (2^−19 at two billion rows): far below any split decision's resolution; leaves keep the real values.
/// </summary>
internal readonly struct ExactTarget
{
    // 2^q, 2^−q and the same for squares: multiplying by a power of two is exact (as ScaleB), and cheaper per row.
    private readonly double _up, _down, _squareUp, _squareDown;

    private ExactTarget(double scale, double centre, int bits, long units)
    {
        Scale = scale; Centre = centre; Units = units;
        _up = Math.ScaleB(1, bits); _down = Math.ScaleB(1, -bits);
        _squareUp = Math.ScaleB(1, bits - 2); _squareDown = Math.ScaleB(1, 2 - bits);
    }

    /// <summary>The power of two the values are multiplied by.</summary>
    public double Scale { get; }

    /// <summary>The mean of the scaled values (from their exact fixed-point sum).</summary>
    public double Centre { get; }

    /// <summary>The scaled values' sum, in grid units.</summary>
    public long Units { get; }

    /// <summary>The scale putting <paramref name="largest"/> (the largest magnitude) below 1.</summary>
    public static double ScaleFor(double largest) =>
        largest > 0 && double.IsFinite(largest) ? Math.ScaleB(1, -Math.Clamp(Math.ILogB(largest) + 1, -1000, 1022)) : 1;

    /// <summary>The grid's bits for <paramref name="present"/> values.</summary>
    public static int BitsFor(long present) => 50 - (int)Math.Ceiling(Math.Log2(Math.Max(2, present)));

    /// <summary>One value's contribution to the centre's sum, in grid units (add them up in any order, as a long).</summary>
    public static long CentreUnits(double value, double scale, int bits) => (long)Math.Round(Math.ScaleB(value * scale, bits));

    /// <summary>The target of values with this scale, <paramref name="present"/> count and exact centre sum.</summary>
    public static ExactTarget Of(double scale, long present, long centreUnits)
    {
        int bits = BitsFor(present);
        double centre = present > 0 ? Math.ScaleB((double)centreUnits, -bits) / present : 0;
        return new ExactTarget(scale, centre, bits, centreUnits);
    }

    /// <summary>The target of all <paramref name="rows"/> of <paramref name="values"/> (the in-memory fit).</summary>
    public static ExactTarget Of(double[] values, int[] rows)
    {
        double largest = 0;
        foreach (int r in rows) largest = Math.Max(largest, Math.Abs(values[r]));
        double scale = ScaleFor(largest);
        int bits = BitsFor(rows.Length);
        long units = 0;
        foreach (int r in rows) units += CentreUnits(values[r], scale, bits);
        return Of(scale, rows.Length, units);
    }

    /// <summary>The scaled, centred value on the grid.</summary>
    public double Value(double value) => Math.Round((value * Scale - Centre) * _up) * _down;

    /// <summary>A target's square on the grid of squares.</summary>
    public double Square(double target) => Math.Round(target * target * _squareUp) * _squareDown;
}
