namespace TabTwin.Randomness;

/// <summary>
/// A keyed bijection of [0, n): a balanced Feistel network on the smallest even number of bits covering n, with
/// cycle walking (re-applying until the value falls below n). Distinct inputs give distinct outputs.
/// </summary>
internal static class FeistelPermutation
{
    public static ulong Permute(ulong x, ulong n, ulong key)
    {
        int bits = 2;
        while (bits < 64 && (1UL << bits) < n) bits += 2;
        int half = bits / 2;
        ulong mask = (1UL << half) - 1;
        do
        {
            ulong left = x >> half, right = x & mask;
            for (ulong round = 0; round < 4; round++)
            {
                ulong f = SeededRandom.Hash(key ^ (round * 0xD1B54A32D192ED03UL) ^ right) & mask;
                (left, right) = (right, left ^ f);
            }
            x = (left << half) | right;
        } while (x >= n);
        return x;
    }
}
