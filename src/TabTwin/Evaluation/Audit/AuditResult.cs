using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Synthesizers;

namespace TabTwin.Evaluation.Audit;

/// <summary>What an audit does: how many canaries, at which confidence and δ, with which seed.</summary>
public sealed record AuditOptions
{
    /// <summary>The default number of canaries (each included with probability 1/2, so about half are trained on).</summary>
    public const int DefaultCanaries = 1000;
    /// <summary>Fewest canaries accepted: with 100, even an attacker right every time shows only ε ≥ 2.85 at 95 % confidence (the union bound over the guess sets included).</summary>
    public const int MinimumCanaries = 100;

    /// <summary>Canaries planted (m).</summary>
    public int Canaries { get; init; } = DefaultCanaries;
    /// <summary>Confidence 1 − β of the lower bound.</summary>
    public double Confidence { get; init; } = 0.95;
    /// <summary>δ of the bound "not (ε, δ)-DP"; null = the synthesizer's claimed δ, or 0 when it claims none.</summary>
    public double? Delta { get; init; }
    /// <summary>Seed of the canaries, their inclusion, the fit, the sample and the tie-breaks; same seed, same result.</summary>
    public ulong Seed { get; init; }
    /// <summary>Threads of the neighbour search (−1 = all cores); results do not depend on it.</summary>
    public int MaxThreads { get; init; } = -1;
    /// <summary>Progress of the steps (planting, fitting, sampling, attacking); null = silent.</summary>
    public IProgress<StepProgress>? Progress { get; init; }
    /// <summary>Cancels the fit and sample.</summary>
    public CancellationToken Cancel { get; init; }
}

/// <summary>One guess set the audit tried: the top <see cref="GuessedIn"/> scores guessed "in", the bottom <see cref="GuessedOut"/> "out".</summary>
public sealed record AuditGuessSet(int GuessedIn, int GuessedOut, int Correct, double EpsilonLowerBound)
{
    public int Guesses => GuessedIn + GuessedOut;
}

/// <summary>
/// The outcome of <see cref="PrivacyAudit.Run"/>: with probability at least <see cref="Confidence"/>, the synthesizer as
/// run is not (ε, <see cref="Delta"/>)-DP for any ε below <see cref="EpsilonLowerBound"/>. A lower bound only: a small
/// value never proves privacy (the attack may be weak); a value above <see cref="ClaimedEpsilon"/> proves the claim wrong.
/// </summary>
public sealed record AuditResult
{
    public required string Synthesizer { get; init; }
    /// <summary>The empirical lower bound on ε (0 when the attack found nothing).</summary>
    public required double EpsilonLowerBound { get; init; }
    public required double Confidence { get; init; }
    /// <summary>The δ the bound is stated at.</summary>
    public required double Delta { get; init; }
    /// <summary>Canaries planted (m).</summary>
    public required int Canaries { get; init; }
    /// <summary>Canaries included in the training table.</summary>
    public required int Included { get; init; }
    /// <summary>Guesses (r) of the guess set that gave the bound; the rest abstained.</summary>
    public required int Guesses { get; init; }
    /// <summary>Correct guesses (v) among them.</summary>
    public required int CorrectGuesses { get; init; }
    /// <summary>ε the synthesizer claims (<see cref="IDifferentiallyPrivate"/>); null when it claims no differential privacy.</summary>
    public double? ClaimedEpsilon { get; init; }
    public double? ClaimedDelta { get; init; }
    /// <summary>Every guess set tried, each judged at confidence 1 − β / (number of sets) (a union bound over the choice).</summary>
    public required IReadOnlyList<AuditGuessSet> GuessSets { get; init; }
    public required int TrainingRows { get; init; }
    public required int SyntheticRows { get; init; }
    public required ulong Seed { get; init; }

    /// <summary>True when the bound exceeds the claimed ε: the claim is wrong (at the stated confidence).</summary>
    public bool ExceedsClaim => ClaimedEpsilon is { } claimed && EpsilonLowerBound > claimed;

    /// <summary>One line saying what the number means for this synthesizer.</summary>
    public string Verdict
    {
        get
        {
            string bound = $"ε ≥ {F(EpsilonLowerBound)} at {Confidence * 100:0.#}% confidence";
            if (ClaimedEpsilon is { } claimed)
                return ExceedsClaim
                    ? $"VIOLATION: {bound} exceeds the claimed ε = {F(claimed)} (δ = {ClaimedDelta?.ToString("g3", CultureInfo.InvariantCulture)}): '{Synthesizer}' is not differentially private as claimed — a bug in its mechanism or its accounting."
                    : $"consistent with the claimed ε = {F(claimed)}: {bound}, at or below the claim (a lower bound; it cannot prove the claim).";
            return EpsilonLowerBound > 0
                ? $"'{Synthesizer}' claims no differential privacy (its privacy rules are protections, not DP): the attack shows {bound}; no upper bound exists."
                : $"'{Synthesizer}' claims no differential privacy (its privacy rules are protections, not DP): this attack found no measurable leak ({bound}), which does not make it private.";
        }
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The audit as a JSON object (what <c>tabtwin audit --json</c> writes); the bound is under <c>epsilonLowerBound</c>.</summary>
    public JsonObject ToJsonNode() => new()
    {
        ["synthesizer"] = Synthesizer,
        ["epsilonLowerBound"] = EpsilonLowerBound,
        ["confidence"] = Confidence,
        ["delta"] = Delta,
        ["claimedEpsilon"] = ClaimedEpsilon,
        ["claimedDelta"] = ClaimedDelta,
        ["exceedsClaim"] = ExceedsClaim,
        ["verdict"] = Verdict,
        ["canaries"] = Canaries,
        ["included"] = Included,
        ["guesses"] = Guesses,
        ["correctGuesses"] = CorrectGuesses,
        ["trainingRows"] = TrainingRows,
        ["syntheticRows"] = SyntheticRows,
        ["seed"] = Seed,
        ["guessSets"] = new JsonArray(GuessSets.Select(g => (JsonNode)new JsonObject
        {
            ["guessedIn"] = g.GuessedIn, ["guessedOut"] = g.GuessedOut, ["correct"] = g.Correct, ["epsilonLowerBound"] = g.EpsilonLowerBound,
        }).ToArray()),
    };

    public string ToJson() => ToJsonNode().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
