using TabTwin.Randomness;
using TabTwin.Synthesizers.Private;

namespace TabTwin.Tests.DifferentialPrivacy;

public sealed class GraphicalModelTests
{
    /// <summary>The joint distribution ∝ exp(Σ θ) by enumerating every assignment (tiny domains only).</summary>
    private static double[] BruteForceJoint(int[] sizes, IReadOnlyList<(Clique Clique, double[] Theta)> factors)
    {
        var all = new Clique([.. Enumerable.Range(0, sizes.Length)], sizes);
        var joint = new double[all.Cells];
        foreach (var (clique, theta) in factors)
        {
            var map = all.MapTo(clique);
            for (int i = 0; i < joint.Length; i++) joint[i] += theta[map[i]];
        }
        double max = joint.Max(), sum = 0;
        for (int i = 0; i < joint.Length; i++) sum += joint[i] = Math.Exp(joint[i] - max);
        for (int i = 0; i < joint.Length; i++) joint[i] /= sum;
        return joint;
    }

    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    /// <summary>The model ∝ exp(Σ θ) over <paramref name="tree"/>: each factor added into the node that holds it.</summary>
    private static GraphicalModel ModelOf(JunctionTree tree, IEnumerable<(Clique Clique, double[] Theta)> factors)
    {
        var potentials = tree.Nodes.Select(n => new double[n.Cells]).ToArray();
        foreach (var (clique, theta) in factors)
        {
            int node = tree.NodeContaining(clique);
            GraphicalModel.AddAlong(potentials[node], tree.Nodes[node].MapTo(clique), theta, 1);
        }
        return new GraphicalModel(tree, potentials, total: 1);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Belief_propagation_and_cross_node_pairs_equal_brute_force_on_a_model_with_a_cycle(int seed)
    {
        int[] sizes = [2, 3, 2, 4, 3];
        var random = new SeededRandom((ulong)seed);
        // A cycle 0-1-2-3-0 plus a chord-free branch 3-4: the tree must triangulate it to be exact.
        int[][] structure = [[0, 1], [1, 2], [2, 3], [0, 3], [3, 4], [2]];
        var factors = structure.Select(vars =>
        {
            var c = new Clique(vars, sizes);
            return (c, Enumerable.Range(0, c.Cells).Select(_ => 2 * random.NextGaussian()).ToArray());
        }).ToList();
        var tree = new JunctionTree(sizes, factors.Select(f => f.c));
        var model = ModelOf(tree, factors);
        var joint = BruteForceJoint(sizes, factors);
        var all = new Clique([.. Enumerable.Range(0, sizes.Length)], sizes);
        for (int a = 0; a < sizes.Length; a++)
            for (int b = a + 1; b < sizes.Length; b++)
            {
                var pair = new Clique([a, b], sizes);
                // Pairs in one node come from its calibrated belief; the others are carried along the tree path.
                var expected = Clique.Marginalize(joint, all.MapTo(pair), pair.Cells);
                var actual = model.ProjectAny(pair);
                for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 9);
            }
        // Every node's marginal sums to the total, and every variable lies in some node.
        Assert.All(model.Marginals, m => Assert.Equal(1, m.Sum(), 9));
        for (int v = 0; v < sizes.Length; v++) Assert.True(tree.NodeContaining(new Clique([v], sizes)) >= 0);
    }

    [Fact]
    public void Sampling_reproduces_the_model_marginals_and_is_deterministic()
    {
        int[] sizes = [3, 4, 2];
        var random = new SeededRandom(9);
        var factors = new[] { new Clique([0, 1], sizes), new Clique([1, 2], sizes) }
            .Select(c => (c, Enumerable.Range(0, c.Cells).Select(_ => random.NextGaussian()).ToArray())).ToList();
        var tree = new JunctionTree(sizes, factors.Select(f => f.c));
        var model = ModelOf(tree, factors);
        const int rows = 200_000;
        var sample = model.Sample(rows, seed: 4);
        var again = model.Sample(rows, seed: 4);
        for (int v = 0; v < sizes.Length; v++) Assert.Equal(sample[v], again[v]);
        foreach (var (clique, _) in factors)
        {
            var counts = clique.Count(sample, rows);
            var expected = model.Project(clique);
            for (int i = 0; i < counts.Length; i++) Assert.InRange(counts[i] / rows, expected[i] - 0.005, expected[i] + 0.005);
        }
    }

    [Fact]
    public void Estimation_from_exact_marginals_recovers_them()
    {
        // A real-like joint over 4 variables; its exact 2-way marginals on a tree are measured with tiny noise.
        int[] sizes = [3, 4, 2, 3];
        var random = new SeededRandom(21);
        int rows = 5000;
        var columns = sizes.Select(_ => new int[rows]).ToArray();
        for (int i = 0; i < rows; i++)
        {
            columns[0][i] = random.NextInt(3);
            columns[1][i] = (columns[0][i] + random.NextInt(2)) % 4;
            columns[2][i] = columns[1][i] >= 2 ? 1 : random.NextInt(2);
            columns[3][i] = random.NextBernoulli(0.7) ? columns[0][i] : random.NextInt(3);
        }
        int[][] edges = [[0, 1], [1, 2], [0, 3]];
        var measurements = edges.Select(e => new Clique(e, sizes)).Select(c => new Measurement(c, c.Count(columns, rows), 1.0)).ToList();
        var (model, _) = MarginalEstimator.Estimate(sizes, measurements, iterations: 500);
        foreach (var m in measurements)
        {
            var fitted = model.Project(m.Clique);
            double l1 = fitted.Zip(m.Values, (a, b) => Math.Abs(a - b)).Sum() / rows;
            Assert.True(l1 < 0.01, $"{m.Clique}: L1 error {l1:F4}");
        }
    }
}
