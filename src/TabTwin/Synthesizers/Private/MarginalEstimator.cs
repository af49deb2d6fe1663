namespace TabTwin.Synthesizers.Private;

/// <summary>A noisy marginal: counts over a clique's cells plus Gaussian noise of standard deviation σ.</summary>
internal sealed record Measurement(Clique Clique, double[] Values, double Sigma);

/// <summary>
/// Private-PGM's estimator (McKenna, Sheldon, Miklau 2019): the graphical model whose marginals best explain the noisy
/// measurements, min Σ_m ‖μ_m − y_m‖² / σ_m² over the marginals μ a distribution can have. It is found by mirror
/// descent on the log-potentials (an entropic step on the marginal polytope): θ_C ← θ_C − η·∂L/∂μ_C, belief propagation
/// gives μ from θ, and a backtracking line search keeps every step a descent. Pure post-processing of the measurements:
/// it reads no data and costs no budget.
/// </summary>
internal static class MarginalEstimator
{
    /// <summary>Potentials per distinct measured clique, so a later estimate with more measurements can start from them.</summary>
    internal sealed record State(Dictionary<Clique, double[]> Potentials, double StepSize);

    public static (GraphicalModel Model, State State) Estimate(
        IReadOnlyList<int> domainSizes, IReadOnlyList<Measurement> measurements, int iterations,
        State? warmStart = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        var cliques = measurements.Select(m => m.Clique).Distinct().ToList();
        var tree = new JunctionTree(domainSizes, cliques);
        double total = EstimateTotal(measurements);
        var potentials = cliques.ToDictionary(c => c,
            c => warmStart is not null && warmStart.Potentials.TryGetValue(c, out var p) ? (double[])p.Clone() : new double[c.Cells]);
        // Each clique's node and the map from that node's cells to the clique's cells, computed once.
        var placement = cliques.ToDictionary(c => c, c =>
        {
            int node = tree.NodeContaining(c);
            return (Node: node, Map: tree.Nodes[node].MapTo(c));
        });

        GraphicalModel Build(Dictionary<Clique, double[]> theta)
        {
            var nodePotentials = tree.Nodes.Select(c => new double[c.Cells]).ToArray();
            foreach (var (clique, values) in theta)
            {
                var (node, map) = placement[clique];
                GraphicalModel.AddAlong(nodePotentials[node], map, values, 1);
            }
            return new GraphicalModel(tree, nodePotentials, total);
        }

        (double Loss, Dictionary<Clique, double[]> Gradient, Dictionary<Clique, double[]> Mu) Evaluate(GraphicalModel model)
        {
            var mu = cliques.ToDictionary(c => c, c =>
            {
                var (node, map) = placement[c];
                return Clique.Marginalize(model.Marginals[node], map, c.Cells);
            });
            var gradient = cliques.ToDictionary(c => c, c => new double[c.Cells]);
            double loss = 0;
            foreach (var m in measurements)
            {
                var x = mu[m.Clique];
                var g = gradient[m.Clique];
                double w = 1 / (m.Sigma * m.Sigma);
                for (int i = 0; i < x.Length; i++)
                {
                    double r = x[i] - m.Values[i];
                    loss += w * r * r;
                    g[i] += 2 * w * r;
                }
            }
            return (loss, gradient, mu);
        }

        double step = warmStart?.StepSize ?? measurements.Min(m => m.Sigma * m.Sigma) / Math.Max(1, total);
        var current = Build(potentials);
        var (currentLoss, currentGradient, currentMu) = Evaluate(current);
        for (int it = 0; it < iterations; it++)
        {
            cancel.ThrowIfCancellationRequested();
            for (int attempt = 0; attempt < 30; attempt++)
            {
                var trial = potentials.ToDictionary(kv => kv.Key, kv =>
                {
                    var t = (double[])kv.Value.Clone();
                    var g = currentGradient[kv.Key];
                    for (int i = 0; i < t.Length; i++) t[i] -= step * g[i];
                    return t;
                });
                var model = Build(trial);
                var (loss, gradient, mu) = Evaluate(model);
                // Armijo: the loss must fall by at least half of what its slope predicts for the change in μ.
                double predicted = 0;
                foreach (var c in cliques)
                {
                    var g = currentGradient[c];
                    var before = currentMu[c];
                    var after = mu[c];
                    for (int i = 0; i < g.Length; i++) predicted += g[i] * (after[i] - before[i]);
                }
                if (loss <= currentLoss + 0.5 * predicted || attempt == 29)
                {
                    if (loss <= currentLoss)
                    {
                        potentials = trial;
                        current = model;
                        (currentLoss, currentGradient, currentMu) = (loss, gradient, mu);
                    }
                    step *= attempt == 0 ? 1.5 : 1.0;
                    break;
                }
                step *= 0.5;
            }
        }
        return (current, new State(potentials, step));
    }

    /// <summary>The number of rows, from the measurements' noisy totals weighted by their precision (variance = cells·σ²).</summary>
    internal static double EstimateTotal(IReadOnlyList<Measurement> measurements)
    {
        double weighted = 0, weights = 0;
        foreach (var m in measurements)
        {
            double w = 1 / (m.Clique.Cells * m.Sigma * m.Sigma);
            weighted += w * m.Values.Sum();
            weights += w;
        }
        return Math.Max(1, weighted / weights);
    }
}
