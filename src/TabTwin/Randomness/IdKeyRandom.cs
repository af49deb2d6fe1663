namespace TabTwin.Randomness;

/// <summary>
/// SplitMix64: a tiny, fast, seedable generator so generated keys depend only on the caller's seed
/// (no global or time-seeded randomness).
/// </summary>
internal sealed class IdKeyRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) without modulo bias (rejects the short tail).</summary>
    public ulong NextBelow(ulong n)
    {
        if (n == 0) throw new ArgumentOutOfRangeException(nameof(n));
        ulong limit = ulong.MaxValue - ulong.MaxValue % n;
        ulong x;
        do x = NextULong(); while (x >= limit);
        return x % n;
    }

    /// <summary>A random version-4 GUID.</summary>
    public Guid NextGuid()
    {
        Span<byte> b = stackalloc byte[16];
        BitConverter.TryWriteBytes(b, NextULong());
        BitConverter.TryWriteBytes(b[8..], NextULong());
        b[7] = (byte)((b[7] & 0x0F) | 0x40); // version 4 (byte 7 holds the high byte of the little-endian 3rd group)
        b[8] = (byte)((b[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(b);
    }

    /// <summary>
    /// <paramref name="count"/> distinct integers from [0, <paramref name="space"/>) in random order: Floyd's
    /// sampling (O(count) memory whatever the space) followed by a Fisher-Yates shuffle.
    /// </summary>
    public static long[] DistinctIndices(long space, int count, IdKeyRandom rng)
    {
        if (count > space) throw new ArgumentOutOfRangeException(nameof(count), $"Cannot draw {count} distinct values from {space}.");
        var chosen = new HashSet<long>(count);
        var result = new long[count];
        int n = 0;
        for (long j = space - count; j < space; j++)
        {
            long t = (long)rng.NextBelow((ulong)j + 1);
            long pick = chosen.Add(t) ? t : j;
            if (pick == j) chosen.Add(j);
            result[n++] = pick;
        }
        for (int i = count - 1; i > 0; i--)
        {
            int k = (int)rng.NextBelow((ulong)i + 1);
            (result[i], result[k]) = (result[k], result[i]);
        }
        return result;
    }
}
