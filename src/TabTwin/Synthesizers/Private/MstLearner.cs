using TabTwin.DifferentialPrivacy;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Private;

/// <summary>What a marginal-based DP learner produces: the compressions and the graphical model over compressed codes.</summary>
internal sealed record MarginalFit(DomainCompression[] Compressions, GraphicalModel? Model, IReadOnlyList<Clique> Measured);

/// <summary>The first step every marginal learner shares: noisy one-way counts, compression, and their measurements.</summary>
internal static class OneWayStep
{
    /// <summary>
    /// Measures every column's one-way counts with ρ in total (σ = √(d / 2ρ)), compresses each column from them, and
    /// returns the compressed table with the one-way measurements on the compressed codes (a group's count is the sum of
    /// its members' noisy counts, so its noise is σ·√members; the mean group size sets the σ the estimator weights by).
    /// </summary>
    public static (DomainCompression[] Compressions, DiscreteTable Compressed, List<Measurement> Measurements, double Sigma) Run(
        DiscreteTable fine, bool[] ordered, int[] missingCodes, PrivacyAccountant accountant, double rho, SeededRandom random, bool compress = true)
    {
        int d = fine.ColumnCount;
        double sigma = Math.Sqrt(d / (2 * rho));
        var compressions = new DomainCompression[d];
        var grouped = new double[d][];
        var groupSigma = new double[d];
        var columns = new int[d][];
        for (int j = 0; j < d; j++)
        {
            accountant.Charge(new PrivacyCharge($"one-way counts of '{fine.Names[j]}'", "Gaussian mechanism", rho / d));
            var clique = new Clique([j], fine.Sizes);
            var noisy = clique.Count(fine.Columns, fine.RowCount);
            GaussianMechanism.AddNoise(noisy, sigma, random);
            compressions[j] = compress ? DomainCompression.Build(noisy, sigma, ordered[j], missingCodes[j]) : DomainCompression.Identity(noisy.Length);
            columns[j] = compressions[j].Compress(fine.Columns[j]);
            grouped[j] = new double[compressions[j].Size];
            for (int k = 0; k < noisy.Length; k++) grouped[j][compressions[j].FineToGroup[k]] += noisy[k];
            groupSigma[j] = sigma * Math.Sqrt(noisy.Length / (double)compressions[j].Size);
        }
        var sizes = compressions.Select(c => c.Size).ToArray();
        var measurements = Enumerable.Range(0, d).Select(j => new Measurement(new Clique([j], sizes), grouped[j], groupSigma[j])).ToList();
        return (compressions, new DiscreteTable(fine.Names, sizes, columns), measurements, sigma);
    }
}

/// <summary>
/// MST (McKenna, Miklau, Sheldon 2021, winner of the NIST 2018 challenge), with the budget split as published: a third
/// for the one-way counts, a third to choose d−1 pairs forming a maximum spanning tree of how badly independence
/// explains each pair (the exponential mechanism, one pick per edge, Kruskal-style among pairs joining two
/// components), a third to measure those pairs. The estimate is the graphical model of <see cref="MarginalEstimator"/>.
/// </summary>
internal static class MstLearner
{
    public static MarginalFit Fit(DiscreteTable fine, bool[] ordered, int[] missingCodes, PrivacyAccountant accountant, double rho,
        ulong seed, IProgress<StepProgress>? progress = null, CancellationToken cancel = default)
    {
        var random = SeededRandom.For(seed, 0x4d5354);   // "MST"
        progress?.Report(new StepProgress("one-way counts", 0));
        var (compressions, table, oneWays, _) = OneWayStep.Run(fine, ordered, missingCodes, accountant, rho / 3, random);
        int d = table.ColumnCount;
        if (d < 2)
        {
            var (alone, _) = MarginalEstimator.Estimate(table.Sizes, oneWays, 200, cancel: cancel);
            return new MarginalFit(compressions, alone, [.. oneWays.Select(m => m.Clique)]);
        }
        progress?.Report(new StepProgress("independent estimate", 0.1));
        var (independent, state) = MarginalEstimator.Estimate(table.Sizes, oneWays, 100, cancel: cancel);

        // How badly independence explains each pair (L1 between the real pair counts and the estimate's).
        var pairs = new List<(int A, int B, double Score)>();
        for (int a = 0; a < d; a++)
            for (int b = a + 1; b < d; b++)
            {
                var clique = new Clique([a, b], table.Sizes);
                var real = clique.Count(table.Columns, table.RowCount);
                var model = ProductOfOneWays(independent, table.Sizes, a, b);
                pairs.Add((a, b, real.Zip(model, (x, y) => Math.Abs(x - y)).Sum()));
            }

        progress?.Report(new StepProgress("choosing pairs", 0.3));
        double rhoPick = rho / 3 / (d - 1);
        double epsilonPick = ExponentialMechanism.EpsilonFor(rhoPick);
        var component = Enumerable.Range(0, d).ToArray();
        int Find(int x) { while (component[x] != x) x = component[x] = component[component[x]]; return x; }
        var chosen = new List<(int A, int B)>();
        for (int edge = 0; edge < d - 1; edge++)
        {
            var open = pairs.Where(p => Find(p.A) != Find(p.B)).ToList();
            accountant.Charge(new PrivacyCharge("choice of a pair to measure", "exponential mechanism", rhoPick));
            var pick = open[ExponentialMechanism.Select(open.Select(p => p.Score).ToArray(), epsilonPick, 1, random)];
            chosen.Add((pick.A, pick.B));
            component[Find(pick.A)] = Find(pick.B);
        }

        progress?.Report(new StepProgress("measuring pairs", 0.4));
        double rhoPair = rho / 3 / chosen.Count;
        double sigmaPair = GaussianMechanism.Sigma(rhoPair);
        var measurements = new List<Measurement>(oneWays);
        foreach (var (a, b) in chosen)
        {
            var clique = new Clique([a, b], table.Sizes);
            accountant.Charge(new PrivacyCharge($"pair counts of '{table.Names[a]}' × '{table.Names[b]}'", "Gaussian mechanism", rhoPair));
            var noisy = clique.Count(table.Columns, table.RowCount);
            GaussianMechanism.AddNoise(noisy, sigmaPair, random);
            measurements.Add(new Measurement(clique, noisy, sigmaPair));
        }
        progress?.Report(new StepProgress("estimating the model", 0.5));
        var (fitted, _) = MarginalEstimator.Estimate(table.Sizes, measurements, 1000, state, cancel);
        progress?.Report(new StepProgress("estimating the model", 1));
        return new MarginalFit(compressions, fitted, [.. measurements.Select(m => m.Clique).Distinct()]);
    }

    /// <summary>The pair table an independent model gives: the product of its two one-way marginals.</summary>
    internal static double[] ProductOfOneWays(GraphicalModel model, int[] sizes, int a, int b)
    {
        var pa = model.Project(new Clique([a], sizes));
        var pb = model.Project(new Clique([b], sizes));
        double total = model.Total;
        var result = new double[pa.Length * pb.Length];
        for (int x = 0; x < pa.Length; x++)
            for (int y = 0; y < pb.Length; y++) result[x * pb.Length + y] = pa[x] * pb[y] / total;
        return result;
    }
}
