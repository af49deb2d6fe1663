using TabTwin.Encoding;

namespace TabTwin.Synthesizers.Cart;

/// <summary>Whether the CART synthesizer applies its privacy rules (see <see cref="CartOptions"/>).</summary>
public enum CartPrivacy
{
    /// <summary>Rare categories (&lt; RareCategoryThreshold) never emitted, extremes clipped to the robust range, leaf values jittered.</summary>
    On,
    /// <summary>Every category kept, no robust clipping, leaf values drawn as stored (closest to the data; use only on non-sensitive tables).</summary>
    Off,
}

/// <summary>Hyperparameters of the sequential CART synthesizer.</summary>
public sealed record CartOptions
{
    /// <summary>How the table is encoded. CART protects rare categories by default (threshold 5).</summary>
    /// <remarks>
    /// JSON options fill in this default rather than replace it: <c>{"encoding":{"maxCategories":40}}</c> keeps the
    /// threshold of 5 (replacing the object silently dropped the protection to EncodingOptions' own default of 1).
    /// </remarks>
    [System.Text.Json.Serialization.JsonObjectCreationHandling(System.Text.Json.Serialization.JsonObjectCreationHandling.Populate)]
    public EncodingOptions Encoding { get; init; } = new() { RareCategoryThreshold = 5 };

    /// <summary>Privacy rules on (default) or off.</summary>
    public CartPrivacy Privacy { get; init; } = CartPrivacy.On;

    /// <summary>Smallest leaf (k): no leaf describes fewer rows than this (when the table has that many rows).</summary>
    public int MinLeafSize { get; init; } = 5;

    /// <summary>The minimum leaf also grows with the data: max(MinLeafSize, ceil(rows · MinLeafFraction)).</summary>
    public double MinLeafFraction { get; init; } = 0.001;

    /// <summary>
    /// With privacy on, the minimum leaf also grows with the square root of the rows: at least ceil(MinLeafPerSqrtRows · √rows) (57 rows
    /// of 800, 253 of 16,000, 2,000 of a million). Measured on every shared table (bench/RESULTS.md, section
    /// <c>privacy</c>): leaves of max(5, n/1000) rows let synthetic rows sit nearer their training rows than unseen
    /// rows do (DCR share 0.53–0.61 on tables of 300–16,000 rows); 2·√n (and a tenth of a small table, see
    /// SmallTableLeaf) brings most tables to 0.50–0.53 at about the same quality (Adult 0.988, TSTR 0.98).
    /// </summary>
    public double MinLeafPerSqrtRows { get; init; } = 2;

    /// <summary>
    /// With privacy on, multiplies the minimum leaf of the rules above and the rows a key-like category needs in a leaf
    /// before it is emitted from it (1 = the defaults, up to 100). The fit's privacy
    /// self-check (<c>TabTwin.Synthesis.PrivacyCheck</c>, used by <c>SyntheticData</c> and the CLI's fit and run) raises
    /// it in steps when a held-out slice shows synthetic rows nearer to the training rows than to unseen ones; the
    /// level a model was fitted at is saved with it.
    /// </summary>
    public double ProtectionLevel { get; init; } = 1;

    /// <summary>Deepest split level of each tree.</summary>
    public int MaxDepth { get; init; } = 14;

    /// <summary>Quantile bins per continuous predictor (2..250).</summary>
    public int MaxBins { get; init; } = 64;

    /// <summary>Quantiles stored per leaf of a continuous column (leaves with fewer rows store their sorted values).</summary>
    public int LeafQuantiles { get; init; } = 64;

    /// <summary>
    /// Kernel width as a fraction of the half-gap to the neighbouring leaf quantiles (0 = draw stored quantiles as they are).
    /// Tied quantiles (point masses such as 0) are never jittered.
    /// </summary>
    public double Jitter { get; init; } = 1.0;

    /// <summary>
    /// With privacy on, continuous values are clipped to the [RobustTail, 1 − RobustTail] quantiles of the training data when
    /// they lie further in than the tail rule (0 = that rule alone, the default). The tail rule: values stay between the k-th
    /// smallest and largest training value, k = <see cref="EncodingOptions.MinTailRows"/> of <see cref="Encoding"/> times
    /// <see cref="ProtectionLevel"/>, so the few records that alone span the extremes are never reproduced and a populated
    /// long tail keeps its range (issue 14: clipping 0.1 % of the rows on each side cut 1,000 rows of a million-row tail,
    /// and left a 500-row table's exact minimum and maximum as bounds).
    /// </summary>
    public double RobustTail { get; init; }

    /// <summary>A split must reduce the node impurity by at least this fraction of the root's impurity (rpart's cp).</summary>
    public double MinGainFraction { get; init; } = 1e-6;

    /// <summary>Column names in the order they are synthesized (all modelled columns, each once); null = automatic.</summary>
    public string[]? VisitOrder { get; init; }

    /// <summary>
    /// Modelled columns visited first, in this order, before the automatic order of the rest (ignored when
    /// <see cref="VisitOrder"/> is given). Multi-table synthesis puts a child's joined parent columns here so the child's
    /// columns can be drawn given a synthetic parent's values exactly (<see cref="CartModel.SampleGiven"/>). Not saved as an
    /// option: the model keeps the order itself.
    /// </summary>
    internal string[]? LeadingColumns { get; init; }

    /// <summary>
    /// Continuous columns kept out of the robust clipping (privacy on). Multi-table synthesis lists its children-per-row
    /// counts here: a parent's number of children is the database's structure (3 of 1,458 airports have all the weather
    /// rows, a few hubs most flights), and clipping the top 0.1 % of counts erased exactly those parents. Saved through the
    /// model's own range, not as an option.
    /// </summary>
    internal string[]? UnclippedColumns { get; init; }

    internal bool PrivacyOn => Privacy == CartPrivacy.On;

    /// <summary>The tail rule's k (see <see cref="RobustTail"/>): the encoding's MinTailRows, grown with the protection level.</summary>
    internal int TailRows => (int)Math.Min(100_000, Math.Ceiling(Encoding.MinTailRows * ProtectionLevel));

    /// <summary>The encoding actually used: with privacy off every category is kept.</summary>
    internal EncodingOptions EffectiveEncoding => PrivacyOn ? Encoding with { UnclippedColumns = UnclippedColumns } : Encoding with { RareCategoryThreshold = 1, MinTailRows = 1 };

    internal int MinLeafFor(int rows)
    {
        int leaf = Math.Max(Math.Max(MinLeafSize, (int)Math.Ceiling(rows * MinLeafFraction)),
            PrivacyOn ? Math.Max((int)Math.Ceiling(MinLeafPerSqrtRows * Math.Sqrt(rows)), SmallTableLeaf(rows)) : 0);
        return PrivacyOn && ProtectionLevel > 1 ? (int)Math.Min(int.MaxValue / 2, Math.Ceiling(leaf * ProtectionLevel)) : leaf;
    }

    /// <summary>
    /// Small tables need relatively larger leaves: a tenth of the rows, up to where MinLeafPerSqrtRows · √rows takes
    /// over (100 rows at 2,500 with the default). Measured: titanic (1,047 training rows) had a DCR share of 0.56
    /// with leaves of 65 rows (2·√n) and 0.53 with 80.
    /// </summary>
    private int SmallTableLeaf(int rows) => (int)Math.Min(rows / 10.0, 50 * MinLeafPerSqrtRows);

    internal void Check()
    {
        ArgumentNullException.ThrowIfNull(Encoding);
        Encoding.Check();
        if (MinLeafSize < 1) throw new ArgumentException($"MinLeafSize must be at least 1 (got {MinLeafSize}).");
        if (!(MinLeafFraction is >= 0 and < 0.5)) throw new ArgumentException($"MinLeafFraction must be in [0, 0.5) (got {MinLeafFraction}).");
        if (!(MinLeafPerSqrtRows is >= 0 and <= 100)) throw new ArgumentException($"MinLeafPerSqrtRows must be in [0, 100] (got {MinLeafPerSqrtRows}).");
        if (!(ProtectionLevel is >= 1 and <= 100)) throw new ArgumentException($"ProtectionLevel must be in [1, 100] (got {ProtectionLevel}).");
        if (MaxDepth is < 0 or > 64) throw new ArgumentException($"MaxDepth must be in 0..64 (got {MaxDepth}).");
        if (MaxBins is < 2 or > 250) throw new ArgumentException($"MaxBins must be in 2..250 (got {MaxBins}).");
        if (LeafQuantiles is < 2 or > 4096) throw new ArgumentException($"LeafQuantiles must be in 2..4096 (got {LeafQuantiles}).");
        if (!(Jitter is >= 0 and <= 1)) throw new ArgumentException($"Jitter must be in [0, 1] (got {Jitter}).");
        if (!(RobustTail is >= 0 and < 0.5)) throw new ArgumentException($"RobustTail must be in [0, 0.5) (got {RobustTail}).");
        if (!(MinGainFraction >= 0) || double.IsInfinity(MinGainFraction)) throw new ArgumentException($"MinGainFraction must be finite and ≥ 0 (got {MinGainFraction}).");
    }
}
