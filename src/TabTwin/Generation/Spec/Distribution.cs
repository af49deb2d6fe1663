using TabTwin.Schema;

namespace TabTwin.Generation.Spec;

/// <summary>
/// How a column's values are made: a probability distribution (numeric, categorical, boolean, datetime), a key
/// generator (sequence, ID format, UUID), fake personal data, a formula over other columns, or a distribution chosen
/// per row by another column's value. A closed family of records, so specs can be written in C# directly:
/// <code>new ColumnSpec("age", new Distribution.Normal(40, 12)) { Min = 18, Round = 0 }</code>
/// Distributions drawn through an inverse CDF (<see cref="UsesUniform"/>) can take part in rank correlations.
/// </summary>
public abstract record Distribution
{
    private protected Distribution() { }

    /// <summary>The spec name of the distribution (the <c>type:</c> value).</summary>
    public abstract string TypeName { get; }

    /// <summary>Whether values come from one uniform number through an inverse CDF (so a copula can correlate them).</summary>
    public virtual bool UsesUniform => true;

    // ---- continuous ----
    /// <summary>Normal with mean and standard deviation (truncated when the column has <c>min</c>/<c>max</c>).</summary>
    public sealed record Normal(double Mean, double Sd) : Distribution { public override string TypeName => "normal"; }
    /// <summary>Log-normal: ln(X) is normal with mean <paramref name="Mu"/> and sd <paramref name="Sigma"/>.</summary>
    public sealed record LogNormal(double Mu, double Sigma) : Distribution { public override string TypeName => "lognormal"; }
    /// <summary>Uniform on [Min, Max].</summary>
    public sealed record Uniform(double Min, double Max) : Distribution { public override string TypeName => "uniform"; }
    /// <summary>Exponential with rate λ (mean 1/λ).</summary>
    public sealed record Exponential(double Rate) : Distribution { public override string TypeName => "exponential"; }
    /// <summary>Gamma with shape k and scale θ (mean kθ).</summary>
    public sealed record Gamma(double Shape, double Scale) : Distribution { public override string TypeName => "gamma"; }
    /// <summary>Beta(α, β) rescaled from [0, 1] to [Low, High].</summary>
    public sealed record Beta(double Alpha, double BetaParameter, double Low = 0, double High = 1) : Distribution { public override string TypeName => "beta"; }
    /// <summary>Piecewise uniform: bin i spans [Edges[i], Edges[i+1]) and has weight Weights[i].</summary>
    public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<double> Weights) : Distribution { public override string TypeName => "histogram"; }
    /// <summary>The distribution of a list of observed values (quantiles interpolated linearly between them).</summary>
    public sealed record Empirical(IReadOnlyList<double> Values) : Distribution { public override string TypeName => "empirical"; }
    /// <summary>Always the same number.</summary>
    public sealed record Constant(double Value) : Distribution { public override string TypeName => "constant"; }

    // ---- discrete (integers) ----
    /// <summary>Poisson counts with mean λ.</summary>
    public sealed record Poisson(double Lambda) : Distribution { public override string TypeName => "poisson"; }
    /// <summary>Successes in N trials with probability P.</summary>
    public sealed record Binomial(int N, double P) : Distribution { public override string TypeName => "binomial"; }
    /// <summary>Ranks 1..N with P(k) ∝ 1/k^S.</summary>
    public sealed record Zipf(double S, int N) : Distribution { public override string TypeName => "zipf"; }

    // ---- labels ----
    /// <summary>Labels with weights (normalised; equal when all are 1). Order matters for rank correlation.</summary>
    public sealed record Categorical(IReadOnlyList<string> Values, IReadOnlyList<double> Weights) : Distribution { public override string TypeName => "categorical"; }
    /// <summary>True with probability P.</summary>
    public sealed record Boolean(double P) : Distribution { public override string TypeName => "boolean"; }

    // ---- time ----
    /// <summary>
    /// Instants in [From, To) with a density proportional to the hour-of-day, weekday (Monday first) and month weights
    /// (null = flat). <paramref name="DateOnly"/> makes dates (whole days; hour weights ignored).
    /// </summary>
    public sealed record DateTimeRange(DateTime From, DateTime To, IReadOnlyList<double>? HourWeights = null,
        IReadOnlyList<double>? WeekdayWeights = null, IReadOnlyList<double>? MonthWeights = null, bool DateOnly = false,
        TimeSpan? Resolution = null) : Distribution
    {
        public override string TypeName => DateOnly ? "date" : "datetime";
    }

    // ---- keys ----
    /// <summary>Start, Start + Step, … by global row number (so shards continue each other).</summary>
    public sealed record Sequence(long Start = 1, long Step = 1) : Distribution
    {
        public override string TypeName => "sequence";
        public override bool UsesUniform => false;
    }
    /// <summary>
    /// Text keys from a format: <c>{000000}</c> = row sequence zero-padded to 6 digits, <c>{seq}</c> unpadded,
    /// <c>{d:4}</c>/<c>{A:3}</c>/… random characters of a class (see <see cref="TabTwin.Encoding.IdFormat"/>), <c>{uuid}</c>.
    /// Keys are distinct: random-only formats draw a random permutation of their space.
    /// </summary>
    public sealed record Id(string Format, long Start = 1, long Step = 1) : Distribution
    {
        public override string TypeName => "id";
        public override bool UsesUniform => false;
    }
    /// <summary>Random version-4 UUIDs (seeded).</summary>
    public sealed record Uuid(bool Upper = false) : Distribution
    {
        public override string TypeName => "uuid";
        public override bool UsesUniform => false;
    }

    // ---- personal data ----
    /// <summary>
    /// Realistic fake personal data (Bogus) in <paramref name="Locale"/> (null = the table's/spec's). Columns of one
    /// <paramref name="Person"/> group share a per-row person: the email is built from that person's name.
    /// <paramref name="LocaleColumn"/> names a column whose value is the row's locale (addresses then match that country).
    /// </summary>
    public sealed record Fake(FakeKind Kind, string? Locale = null, string Person = "", string? LocaleColumn = null) : Distribution
    {
        public override string TypeName => FakeKinds.Name(Kind);
        public override bool UsesUniform => false;
    }

    // ---- dependencies ----
    /// <summary>An expression over other columns of the row, e.g. <c>price * quantity</c>.</summary>
    public sealed record Formula(string Expression) : Distribution
    {
        public override string TypeName => "formula";
        public override bool UsesUniform => false;
    }
    /// <summary>The distribution is chosen by the (formatted) value of column <paramref name="DependsOn"/>; <paramref name="Default"/> for other values (null = missing).</summary>
    public sealed record Conditional(string DependsOn, IReadOnlyList<KeyValuePair<string, Distribution>> Cases, Distribution? Default = null) : Distribution
    {
        public override string TypeName => "conditional";
        public override bool UsesUniform => Cases.All(c => c.Value.UsesUniform) && (Default?.UsesUniform ?? true);
    }
}

/// <summary>The kinds of fake personal data a spec can ask for.</summary>
public enum FakeKind
{
    FirstName, LastName, FullName, Email, Username, Phone, StreetAddress, City, PostalCode, State, Country, Address,
    Company, Iban, CreditCard, NationalId, IpAddress, Url,
}

/// <summary>Spec names of <see cref="FakeKind"/>s.</summary>
public static class FakeKinds
{
    private static readonly (FakeKind Kind, string Name)[] Names =
    [
        (FakeKind.FirstName, "first_name"), (FakeKind.LastName, "last_name"), (FakeKind.FullName, "full_name"),
        (FakeKind.Email, "email"), (FakeKind.Username, "username"), (FakeKind.Phone, "phone"),
        (FakeKind.StreetAddress, "street_address"), (FakeKind.City, "city"), (FakeKind.PostalCode, "postal_code"),
        (FakeKind.State, "state"), (FakeKind.Country, "country"), (FakeKind.Address, "address"), (FakeKind.Company, "company"),
        (FakeKind.Iban, "iban"), (FakeKind.CreditCard, "credit_card"), (FakeKind.NationalId, "national_id"),
        (FakeKind.IpAddress, "ip_address"), (FakeKind.Url, "url"),
    ];

    public static string Name(FakeKind kind) => Names.First(n => n.Kind == kind).Name;

    public static IEnumerable<string> All => Names.Select(n => n.Name);

    /// <summary>The kind for a spec name (also accepts <c>person_name</c> and <c>name</c> for full names).</summary>
    public static bool TryParse(string name, out FakeKind kind)
    {
        if (name is "person_name" or "name") { kind = FakeKind.FullName; return true; }
        foreach (var n in Names) if (n.Name == name) { kind = n.Kind; return true; }
        kind = default;
        return false;
    }

    /// <summary>The schema PII type the kind corresponds to, when there is one.</summary>
    public static PiiType? ToPiiType(FakeKind kind) => kind switch
    {
        FakeKind.FirstName => PiiType.FirstName,
        FakeKind.LastName => PiiType.LastName,
        FakeKind.FullName => PiiType.PersonName,
        FakeKind.Email => PiiType.Email,
        FakeKind.Phone => PiiType.Phone,
        FakeKind.StreetAddress => PiiType.StreetAddress,
        FakeKind.City => PiiType.City,
        FakeKind.PostalCode => PiiType.PostalCode,
        FakeKind.Iban => PiiType.Iban,
        FakeKind.CreditCard => PiiType.CreditCard,
        FakeKind.NationalId => PiiType.NationalId,
        FakeKind.IpAddress => PiiType.IpAddress,
        FakeKind.Url => PiiType.Url,
        FakeKind.State => PiiType.State,
        FakeKind.Company => PiiType.Company,
        _ => null,
    };
}
