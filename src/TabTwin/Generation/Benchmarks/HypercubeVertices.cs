using TabTwin.Randomness;

namespace TabTwin.Generation.Benchmarks;

/// <summary>Distinct random vertices of the unit hypercube {0,1}^d, in random order.</summary>
internal static class HypercubeVertices
{
    /// <summary><paramref name="count"/> distinct vertices of a <paramref name="dimensions"/>-cube (count ≤ 2^dimensions).</summary>
    public static bool[][] Distinct(int count, int dimensions, SeededRandom random)
    {
        // The last min(d, 62) coordinates come from distinct integers (Floyd's sampling without replacement); any
        // coordinates beyond 62 are free random bits; distinctness of the low part already makes the vertices distinct.
        int low = Math.Min(dimensions, 62);
        ulong space = 1UL << low;
        var chosen = new HashSet<ulong>();
        var order = new List<ulong>(count);
        for (ulong j = space - (ulong)count; j < space; j++)
        {
            ulong t = (ulong)(((UInt128)random.NextUInt64() * (j + 1)) >> 64);
            ulong pick = chosen.Add(t) ? t : j;
            if (pick == j) chosen.Add(j);
            order.Add(pick);
        }
        var codes = order.ToArray();
        random.Shuffle(codes.AsSpan());
        var vertices = new bool[count][];
        for (int k = 0; k < count; k++)
        {
            var v = vertices[k] = new bool[dimensions];
            for (int i = 0; i < dimensions - low; i++) v[i] = (random.NextUInt64() & 1) == 1;
            for (int i = 0; i < low; i++) v[dimensions - low + i] = ((codes[k] >> i) & 1) == 1;
        }
        return vertices;
    }
}
