namespace TabTwin.Randomness;

/// <summary>
/// A small, fast, deterministic random stream (xoshiro256**, seeded through SplitMix64). Every random choice
/// in TabTwin flows from a caller's seed through one of these; <see cref="Derive(ulong, ulong)"/> gives independent streams
/// per block/column so results never depend on thread count or call order. Not for cryptography.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SeededRandom(ulong seed) => Reseed(seed);

    /// <summary>Restarts this stream as <c>new SeededRandom(seed)</c> would, without allocating (hot loops keep one per block).</summary>
    public void Reseed(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x); _s1 = SplitMix64(ref x); _s2 = SplitMix64(ref x); _s3 = SplitMix64(ref x);
    }

    /// <summary>A seed for stream <paramref name="stream"/> under <paramref name="seed"/> (e.g. block i, column j).</summary>
    public static ulong Derive(ulong seed, ulong stream)
    {
        ulong x = seed ^ (0x9E3779B97F4A7C15UL * (stream + 1));
        SplitMix64(ref x);
        return SplitMix64(ref x);
    }

    /// <summary>A seed for stream <paramref name="index"/> of purpose <paramref name="salt"/> under <paramref name="seed"/>
    /// (distinct purposes, e.g. fitting jitter vs sampling blocks, use distinct salts).</summary>
    public static ulong Derive(ulong seed, ulong salt, ulong index) => Derive(Derive(seed, salt), index);

    /// <summary>A stateless hash of one 64-bit value (SplitMix64 finalizer), for per-row draws that need no stream.</summary>
    public static ulong Hash(ulong value) => SplitMix64(ref value);

    /// <summary>Maps 64 random bits to a uniform double in the open interval (0, 1).</summary>
    public static double ToOpenUnit(ulong bits) => ((bits >> 11) + 0.5) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform in (0, 1), never exactly 0 or 1 (safe for inverse CDFs).</summary>
    public double NextOpenUnit() => ToOpenUnit(NextUInt64());

    /// <summary>A new stream for <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public static SeededRandom For(ulong seed, ulong stream) => new(Derive(seed, stream));

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), "count must be positive.");
        return (int)NextBelow((ulong)count);
    }

    /// <summary>Uniform integer in [0, <paramref name="count"/>), for exact samplers whose bounds pass int's range.</summary>
    internal ulong NextBelow(ulong count)
    {
        if (count == 0) throw new ArgumentOutOfRangeException(nameof(count), "count must be positive.");
        // Lemire's multiply-shift with rejection: unbiased and platform-independent.
        while (true)
        {
            UInt128 m = (UInt128)NextUInt64() * count;
            ulong low = (ulong)m;
            if (low >= count || low >= (0UL - count) % count) return (ulong)(m >> 64);
        }
    }

    /// <summary>
    /// Shuffles <paramref name="items"/> in place (Fisher–Yates from the last item down, one <see cref="NextInt"/> per item),
    /// so a seed gives the same order on every machine.
    /// </summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Standard normal (Box–Muller; one value per call so the stream position is simple to reason about).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool NextBernoulli(double p) => NextDouble() < p;

    /// <summary>An index drawn with probability proportional to <paramref name="cumulativeWeights"/>' increments (last element = total).</summary>
    public int NextWeighted(ReadOnlySpan<double> cumulativeWeights)
    {
        double total = cumulativeWeights[^1];
        double u = NextDouble() * total;
        int lo = 0, hi = cumulativeWeights.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (cumulativeWeights[mid] > u) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
