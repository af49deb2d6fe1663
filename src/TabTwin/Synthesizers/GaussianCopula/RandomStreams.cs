namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>
/// Deterministic random streams: SplitMix64 derives independent seeds from (seed, index) pairs, and
/// <see cref="Xoshiro256"/> generates within one stream. Nothing here touches a global generator, so a
/// block's numbers depend only on the caller's seed and the block index, never on thread scheduling.
/// </summary>
internal static class RandomStreams
{
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A seed for stream <paramref name="index"/> of <paramref name="seed"/> (distinct purposes use distinct <paramref name="salt"/>).</summary>
    public static ulong Derive(ulong seed, ulong salt, ulong index) => Mix(Mix(seed ^ Mix(salt)) + index);

    /// <summary>A uniform double in the open interval (0, 1) from 53 random bits.</summary>
    public static double ToOpenUnit(ulong bits) => ((bits >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/// <summary>xoshiro256** (Blackman and Vigna): fast, small state, good statistical quality.</summary>
internal struct Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public Xoshiro256(ulong seed)
    {
        _s0 = RandomStreams.Mix(seed);
        _s1 = RandomStreams.Mix(_s0);
        _s2 = RandomStreams.Mix(_s1);
        _s3 = RandomStreams.Mix(_s2);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1;
        _spareNormal = 0;
        _hasSpare = false;
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in (0, 1), never exactly 0 or 1.</summary>
    public double NextOpenUnit() => RandomStreams.ToOpenUnit(NextUInt64());

    /// <summary>A standard normal draw (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public double NextNormal()
    {
        if (_hasSpare) { _hasSpare = false; return _spareNormal; }
        double u1 = NextOpenUnit(), u2 = NextOpenUnit();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spareNormal = r * Math.Sin(angle);
        _hasSpare = true;
        return r * Math.Cos(angle);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
