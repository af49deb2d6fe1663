using System.Numerics;
using TabTwin.Randomness;

namespace TabTwin.DifferentialPrivacy;

/// <summary>
/// Exact sampler of the discrete Gaussian N_Z(0, σ²), P[x] ∝ exp(−x²/(2σ²)) over the integers (Canonne, Kamath, Steinke
/// 2020, "The Discrete Gaussian for Differential Privacy", Alg. 1–3): a discrete Laplace proposal of scale t = ⌊σ⌋ + 1,
/// accepted with probability exp(−(|x| − σ²/t)²/(2σ²)).
/// <para>
/// Why not <c>σ·NextGaussian()</c> added to a count: floating-point noise is not the distribution the proof is about, and
/// its low-order bits give the true value away (Mironov 2012, "On significance of the least significant bits for
/// differential privacy"). Here every accept/reject decision compares a uniform integer with an exact rational
/// (<see cref="BigInteger"/> when the numbers outgrow 64 bits), so the output is exactly N_Z(0, σ²); the only randomness
/// is uniform integers from the caller's seeded stream, so a seed gives the same noise on every machine.
/// </para>
/// <para>
/// Privacy (CKS 2020, Thm. 4): adding N_Z(0, σ²) to an integer query of sensitivity Δ is ½(Δ/σ)²-zCDP, the ρ of the
/// continuous Gaussian. Independent noise on every cell of a count vector composes by adding the cells' Rényi
/// divergences, so a vector of L2 sensitivity Δ₂ costs Δ₂²/(2σ²), again as for the continuous mechanism; the accountant
/// charges the same ρ. σ² is the exact square of the next double above σ, rounded up to 32 significant bits, so the σ a
/// caller derived from ρ (rounded either way by floating point) never gives more than the ρ charged, and the integers of
/// the acceptance test fit 128 bits for every σ below 2¹⁶ (<see cref="BigInteger"/> beyond).
/// </para>
/// </summary>
internal sealed class DiscreteGaussian
{
    /// <summary>Significant bits σ² is rounded up to: the noise grows by a factor below 1 + 2⁻³¹, the integers stay in 128 bits.</summary>
    private const int VarianceBits = 32;
    /// <summary>The largest |x|·t·b − a for which the bias test runs in 128-bit integers (its square needs 120 bits).</summary>
    private static readonly UInt128 SmallGap = (UInt128)1 << 60;

    private readonly BigInteger _varianceNumerator, _varianceDenominator;   // σ² = a/b, b a power of two
    private readonly long _scale;                                           // t = ⌊σ⌋ + 1, the Laplace proposal's scale
    private readonly BigInteger _biasDenominator;                           // 2·a·t²·b
    private readonly bool _small;                                           // a, t·b and 2·a·t²·b fit the 128-bit path
    private readonly UInt128 _a, _tb, _biasDenominatorSmall;

    public DiscreteGaussian(double sigma)
    {
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be a finite number > 0.");
        if (sigma > 1e15) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ above 10¹⁵ is beyond exact integer noise.");
        (_varianceNumerator, _varianceDenominator) = RoundUp(ExactSquare(Math.BitIncrement(sigma)), VarianceBits);
        _scale = (long)IntegerSquareRoot(_varianceNumerator / _varianceDenominator) + 1;
        _biasDenominator = 2 * _varianceNumerator * _scale * _scale * _varianceDenominator;
        var tb = _scale * _varianceDenominator;
        _small = _varianceNumerator < (BigInteger)SmallGap && tb < (BigInteger)SmallGap && _biasDenominator.GetBitLength() <= 100;
        if (_small) (_a, _tb, _biasDenominatorSmall) = ((UInt128)_varianceNumerator, (UInt128)tb, (UInt128)_biasDenominator);
        Sigma = sigma;
    }

    /// <summary>The σ this sampler was made for (its σ² is slightly larger, see the class remarks).</summary>
    public double Sigma { get; }

    /// <summary>One draw of N_Z(0, σ²).</summary>
    public long Next(SeededRandom random)
    {
        // With σ² = a/b: bias = (|x| − σ²/t)² / (2σ²) = (|x|·t·b − a)² / (2·a·t²·b), a ratio of integers. The same test
        // runs in 128-bit integers when they hold it (every draw but the far tails of σ below 2¹⁶), else in BigInteger.
        while (true)
        {
            long candidate = DiscreteLaplace(_scale, random);
            ulong magnitude = (ulong)Math.Abs(candidate);
            if (_small && magnitude < SmallGap / _tb)
            {
                var scaled = magnitude * _tb;
                var gap = scaled >= _a ? scaled - _a : _a - scaled;
                if (BernoulliExp(gap * gap, _biasDenominatorSmall, random)) return candidate;
            }
            else
            {
                var gap = new BigInteger(magnitude) * _scale * _varianceDenominator - _varianceNumerator;
                if (BernoulliExp(gap * gap, _biasDenominator, random)) return candidate;
            }
        }
    }

    /// <summary>P[x] ∝ exp(−|x|/t) over the integers: a sign and a geometric magnitude, −0 redrawn so 0 is not counted twice.</summary>
    internal static long DiscreteLaplace(long scale, SeededRandom random)
    {
        while (true)
        {
            bool negative = random.NextBelow(2) == 1;
            long magnitude = GeometricOfScale(scale, random);
            if (negative && magnitude == 0) continue;
            return negative ? -magnitude : magnitude;
        }
    }

    /// <summary>
    /// P[k] = (1 − e^(−1/t))·e^(−k/t) for k ≥ 0, drawn as k = v·t + u with u ∈ [0, t) accepted with probability e^(−u/t)
    /// and v geometric with ratio e^(−1): the two parts of k's exponent, so the cost does not grow with t.
    /// </summary>
    private static long GeometricOfScale(long scale, SeededRandom random)
    {
        long u;
        do u = (long)random.NextBelow((ulong)scale);
        while (!BernoulliExp(u, scale, random));
        long v = 0;
        while (BernoulliExp(1L, 1L, random)) v++;
        return checked(v * scale + u);
    }

    /// <summary>True with probability exp(−n/d), n ≥ 0, d > 0: ⌊n/d⌋ draws of Bernoulli(e^(−1)), then one of the fraction.</summary>
    internal static bool BernoulliExp<T>(T numerator, T denominator, SeededRandom random) where T : IBinaryInteger<T>
    {
        var whole = T.DivRem(numerator, denominator);
        for (var k = T.Zero; k < whole.Quotient; k++)
            if (!BernoulliExpUpToOne(T.One, T.One, random)) return false;
        return BernoulliExpUpToOne(whole.Remainder, denominator, random);
    }

    /// <summary>
    /// True with probability exp(−x) for x = n/d ∈ [0, 1]: count K, the first k with a failed Bernoulli(x/k); P[K odd] is
    /// the alternating series of e^(−x) (von Neumann's trick), so no exponential is ever evaluated.
    /// </summary>
    private static bool BernoulliExpUpToOne<T>(T numerator, T denominator, SeededRandom random) where T : IBinaryInteger<T>
    {
        var k = T.One;
        while (UniformBelow(checked(denominator * k), random) < numerator) k++;   // overflow needs k ≈ 2²⁸: never, but loud
        return T.IsOddInteger(k);
    }

    /// <summary>Uniform in [0, bound): 64-bit bounds by multiply-shift, larger ones by rejection on the bound's bit length.</summary>
    private static T UniformBelow<T>(T bound, SeededRandom random) where T : IBinaryInteger<T>
    {
        if (bound <= T.CreateTruncating(long.MaxValue)) return T.CreateTruncating(random.NextBelow(ulong.CreateTruncating(bound)));
        long bits = bound.GetShortestBitLength();
        int words = (int)((bits + 63) / 64);
        while (true)
        {
            var value = T.Zero;
            for (int w = 0; w < words; w++) value = (value << 64) | T.CreateTruncating(random.NextUInt64());
            value >>= (int)(words * 64 - bits);
            if (value < bound) return value;
        }
    }

    /// <summary>x² as an exact ratio of integers (a double is m·2^e with an integer m).</summary>
    private static (BigInteger Numerator, BigInteger Denominator) ExactSquare(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFF;
        if (exponent == 0) exponent = 1; else mantissa |= 1L << 52;   // subnormals have no hidden bit
        exponent -= 1075;                                            // x = mantissa · 2^exponent
        int zeros = BitOperations.TrailingZeroCount(mantissa);
        mantissa >>= zeros;
        exponent += zeros;
        var square = new BigInteger(mantissa) * mantissa;
        return exponent >= 0 ? (square << (2 * exponent), BigInteger.One) : (square, BigInteger.One << (-2 * exponent));
    }

    /// <summary>
    /// a/b (b a power of two) rounded up to at most <paramref name="bits"/> significant bits of the numerator: a larger
    /// σ² only adds noise, so the ρ charged for σ still holds, and the integers of the bias test stay small.
    /// </summary>
    private static (BigInteger Numerator, BigInteger Denominator) RoundUp((BigInteger Numerator, BigInteger Denominator) value, int bits)
    {
        var (a, b) = value;
        long excess = a.GetBitLength() - bits;
        if (excess <= 0) return (a, b);
        var unit = BigInteger.One << (int)excess;
        a = (a + unit - 1) >> (int)excess;                 // ⌈a / 2^excess⌉
        long denominatorBits = b.GetBitLength() - 1;        // b = 2^denominatorBits
        return excess <= denominatorBits ? (a, b >> (int)excess) : (a << (int)(excess - denominatorBits), BigInteger.One);
    }

    /// <summary>⌊√n⌋ for n ≥ 0, exactly (a floating-point guess corrected with integer squares).</summary>
    private static BigInteger IntegerSquareRoot(BigInteger n)
    {
        var root = new BigInteger(Math.Floor(Math.Sqrt((double)n)));
        while (root * root > n) root--;
        while ((root + 1) * (root + 1) <= n) root++;
        return root;
    }
}
