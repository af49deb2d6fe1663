namespace TabTwin.Synthesizers.Private;

/// <summary>Options of the marginal-based DP synthesizers (<c>mst</c>, <c>aim</c>).</summary>
public sealed record DpMarginalOptions
{
    /// <summary>The ε of the (ε, δ)-DP guarantee: the whole fit, every read of the data included, spends at most this.</summary>
    public double Epsilon { get; init; } = 1;

    /// <summary>The δ of the guarantee; must be below 1 / rows (a δ of 1/n lets a mechanism publish one person's row).</summary>
    public double Delta { get; init; } = 1e-9;

    /// <summary>
    /// Share of the budget for finding what the metadata does not declare (number ranges, released category values).
    /// 0 is allowed when every number column declares <c>min</c>/<c>max</c> and every label column its <c>categories</c>.
    /// </summary>
    public double DomainShare { get; init; } = 0.25;

    /// <summary>AIM: the column whose prediction matters most (its pairs get more weight in the workload); null = none.</summary>
    public string? Target { get; init; }

    /// <summary>AIM: the largest model (total junction-tree cells) it may grow, which bounds fit time and memory.</summary>
    public int MaxModelCells { get; init; } = 500_000;

    /// <summary>Mirror-descent iterations of the final estimate.</summary>
    public int Iterations { get; init; } = 1000;

    internal void Check()
    {
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon)) throw new ArgumentException($"Epsilon must be a finite number greater than 0 (got {Epsilon}).");
        if (!(Delta > 0 && Delta < 1)) throw new ArgumentException($"Delta must be greater than 0 and less than 1 (got {Delta}).");
        if (!(DomainShare is >= 0 and < 1)) throw new ArgumentException($"DomainShare must be in [0, 1) (got {DomainShare}).");
        if (MaxModelCells < 1000) throw new ArgumentException($"MaxModelCells must be ≥ 1000 (got {MaxModelCells}).");
        if (Iterations is < 1 or > 100_000) throw new ArgumentException($"Iterations must be in 1..100000 (got {Iterations}).");
    }
}
