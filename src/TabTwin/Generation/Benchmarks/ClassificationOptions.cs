namespace TabTwin.Generation.Benchmarks;

/// <summary>How feature columns are named in a generated benchmark table.</summary>
public enum FeatureNaming
{
    /// <summary><c>x0</c>, <c>x1</c>, … as scikit-learn's arrays: the roles stay hidden in the data and are listed in the parameters file.</summary>
    Indexed,
    /// <summary><c>informative_1</c>, <c>redundant_1</c>, <c>repeated_1</c>, <c>noise_1</c>, …: the role shows in the name.</summary>
    ByRole,
}

/// <summary>
/// Settings of <see cref="ClassificationGenerator"/>, mirroring scikit-learn's <c>make_classification</c> (defaults
/// included): each class is made of Gaussian clusters placed on vertices of a hypercube in the informative subspace,
/// plus redundant (linear combinations), repeated (copies) and pure-noise features, and a fraction of random labels.
/// </summary>
public sealed record ClassificationOptions
{
    /// <summary>Rows (n_samples).</summary>
    public long Rows { get; init; } = 100;
    /// <summary>All feature columns (n_features).</summary>
    public int Features { get; init; } = 20;
    /// <summary>Features that carry the class signal (n_informative).</summary>
    public int Informative { get; init; } = 2;
    /// <summary>Random linear combinations of the informative features (n_redundant).</summary>
    public int Redundant { get; init; } = 2;
    /// <summary>Copies of informative or redundant features picked at random (n_repeated).</summary>
    public int Repeated { get; init; }
    /// <summary>Classes 0..Classes−1 (n_classes).</summary>
    public int Classes { get; init; } = 2;
    /// <summary>Gaussian clusters per class (n_clusters_per_class); Classes × ClustersPerClass ≤ 2^Informative.</summary>
    public int ClustersPerClass { get; init; } = 2;
    /// <summary>Share of each class before label noise (weights); Classes values, or Classes−1 and the last is the rest. Null = balanced.</summary>
    public double[]? Weights { get; init; }
    /// <summary>Label noise (flip_y): this fraction of rows gets a class drawn uniformly at random (which may equal the true one).</summary>
    public double LabelNoise { get; init; } = 0.01;
    /// <summary>Half the edge of the hypercube (class_sep): larger spreads the clusters and makes the task easier.</summary>
    public double ClassSeparation { get; init; } = 1.0;
    /// <summary>Clusters on hypercube vertices (true) or on the vertices of a random polytope (false).</summary>
    public bool Hypercube { get; init; } = true;
    /// <summary>Added to every feature before scaling (shift); null = a random value in [−ClassSeparation, ClassSeparation] per feature.</summary>
    public double? Shift { get; init; } = 0.0;
    /// <summary>Multiplies every feature after shifting (scale); null = a random value in [1, 101) per feature.</summary>
    public double? Scale { get; init; } = 1.0;
    /// <summary>Shuffle rows and feature columns (shuffle). Unshuffled, rows come grouped by cluster and columns in role order.</summary>
    public bool Shuffle { get; init; } = true;
    /// <summary>Every random choice flows from this seed: the same options and seed give byte-identical data.</summary>
    public ulong Seed { get; init; }
    public FeatureNaming Naming { get; init; } = FeatureNaming.Indexed;
    /// <summary>Name of the class column.</summary>
    public string Target { get; init; } = "y";
    /// <summary>Round features to this many decimal places (smaller CSV files); null = full double precision.</summary>
    public int? Decimals { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first inconsistent setting.</summary>
    public void Validate()
    {
        if (Rows < 1) throw new ArgumentException($"Rows must be at least 1 (got {Rows}).");
        if (Features < 1) throw new ArgumentException($"Features must be at least 1 (got {Features}).");
        if (Informative < 1) throw new ArgumentException($"Informative must be at least 1 (got {Informative}).");
        if (Redundant < 0 || Repeated < 0) throw new ArgumentException("Redundant and Repeated must not be negative.");
        if (Informative + Redundant + Repeated > Features)
            throw new ArgumentException($"Informative ({Informative}) + redundant ({Redundant}) + repeated ({Repeated}) features exceed the {Features} features.");
        if (Classes < 1 || ClustersPerClass < 1) throw new ArgumentException("Classes and ClustersPerClass must be at least 1.");
        if (Informative < 63 && (long)Classes * ClustersPerClass > 1L << Informative)
            throw new ArgumentException($"Classes ({Classes}) × clusters per class ({ClustersPerClass}) must be at most 2^informative = {1L << Informative}; add informative features.");
        if (LabelNoise is < 0 or > 1 || double.IsNaN(LabelNoise)) throw new ArgumentException($"LabelNoise must be in [0, 1] (got {LabelNoise}).");
        if (!(ClassSeparation >= 0) || double.IsInfinity(ClassSeparation)) throw new ArgumentException($"ClassSeparation must be a finite number ≥ 0 (got {ClassSeparation}).");
        if (Shift is { } s && !double.IsFinite(s)) throw new ArgumentException("Shift must be finite.");
        if (Scale is { } c && !double.IsFinite(c)) throw new ArgumentException("Scale must be finite.");
        if (Decimals is < 0 or > 15) throw new ArgumentException($"Decimals must be in 0..15 (got {Decimals}).");
        if (string.IsNullOrWhiteSpace(Target)) throw new ArgumentException("Target must name a column.");
        ClassWeights();
    }

    /// <summary>The share of each class (Classes values summing to 1), completing or normalising <see cref="Weights"/>.</summary>
    public double[] ClassWeights()
    {
        if (Weights is null) return Enumerable.Repeat(1.0 / Classes, Classes).ToArray();
        if (Weights.Length != Classes && Weights.Length != Classes - 1)
            throw new ArgumentException($"Weights has {Weights.Length} values; give {Classes} (one per class) or {Classes - 1} (the last class takes the rest).");
        if (Weights.Any(w => !(w >= 0) || double.IsInfinity(w))) throw new ArgumentException("Weights must be finite and ≥ 0.");
        var weights = Weights.Length == Classes ? Weights.ToArray() : [.. Weights, 1.0 - Weights.Sum()];
        if (weights[^1] < -1e-12) throw new ArgumentException($"Weights {string.Join(",", Weights)} sum to more than 1, leaving nothing for the last class.");
        weights[^1] = Math.Max(0, weights[^1]);
        double total = weights.Sum();
        if (total <= 0) throw new ArgumentException("Weights must not all be zero.");
        return weights.Select(w => w / total).ToArray();
    }
}
