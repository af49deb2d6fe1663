using System.Text.Json;
using System.Text.Json.Serialization;

namespace TabTwin.Generation.Benchmarks;

/// <summary>What a feature column of a benchmark data set is made of.</summary>
public enum FeatureRole { Informative, Redundant, Repeated, Noise }

/// <summary>
/// One feature column: its name, role and the affine map applied last (value = (raw + Shift) × Scale). RoleIndex is the
/// 0-based position among features of the same role (for informative ones: the axis in <see cref="ClusterParameters.Centroid"/>);
/// RepeatOf names the column a repeated feature copies (before each one's own shift and scale).
/// </summary>
public sealed record FeatureParameters(string Name, FeatureRole Role, int RoleIndex, double Shift = 0, double Scale = 1, string? RepeatOf = null);

/// <summary>One Gaussian cluster of a classification data set, in the informative subspace (before shift and scale):
/// raw informative values = z · Transform + Centroid with z standard normal.</summary>
public sealed record ClusterParameters(int Class, long Rows, double[] Centroid, double[][] Transform);

/// <summary>
/// The generating parameters specific to classification. InformativeFeatures: informative column names in subspace-axis
/// order. RedundantWeights [informative][redundant]: raw redundant values = raw informative values · RedundantWeights.
/// ClassShares: each class's share of rows before label noise (exact counts, as scikit-learn). ExpectedClassShares: each
/// class's expected share after label noise, share × (1 − noise) + noise / classes.
/// </summary>
public sealed record ClassificationParameters(
    string[] InformativeFeatures, ClusterParameters[] Clusters, double[][] RedundantWeights,
    double[] ClassShares, double[] ExpectedClassShares);

/// <summary>
/// The generating parameters specific to regression. Coefficients [target][feature], features in column order
/// (<see cref="GeneratorParameters.Features"/>); SingularValues: the singular profile of the features when
/// <see cref="RegressionOptions.EffectiveRank"/> is set.
/// </summary>
public sealed record RegressionParameters(string[] InformativeFeatures, double[][] Coefficients, double Bias, double Noise, double[]? SingularValues);

/// <summary>
/// Everything that generated a benchmark data set, saved beside it (<c>out.csv</c> → <c>out.params.json</c>) so a
/// benchmark can check a model against the truth: which columns are informative, where the clusters sit, the exact
/// regression coefficients. Together with the options (which include the seed) it also regenerates the data.
/// </summary>
public sealed record GeneratorParameters
{
    public const int CurrentVersion = 1;
    public int Version { get; init; } = CurrentVersion;
    /// <summary><c>classification</c> or <c>regression</c>.</summary>
    public required string Generator { get; init; }
    public ulong Seed { get; init; }
    public long Rows { get; init; }
    /// <summary>Feature columns in the order they appear in the table.</summary>
    public required FeatureParameters[] Features { get; init; }
    public required string[] Targets { get; init; }
    public ClassificationOptions? ClassificationOptions { get; init; }
    public RegressionOptions? RegressionOptions { get; init; }
    public ClassificationParameters? Classification { get; init; }
    public RegressionParameters? Regression { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static GeneratorParameters FromJson(string json, string? file = null)
    {
        try
        {
            var p = JsonSerializer.Deserialize<GeneratorParameters>(json, JsonOptions)
                ?? throw new SchemaException("benchmark.params-empty", "The parameters file is empty.", file: file);
            if (p.Version > CurrentVersion)
                throw new SchemaException("benchmark.params-version", $"The parameters file is version {p.Version}; this TabTwin reads up to {CurrentVersion}.", file: file);
            return p;
        }
        catch (JsonException e)
        {
            throw new SchemaException("benchmark.params-json", $"The parameters file is not valid: {e.Message}", file: file, inner: e);
        }
    }

    /// <summary>Writes the JSON to <paramref name="path"/> (through a temporary file, so a failure leaves no half-written file).</summary>
    public void Save(string path)
    {
        TabTwin.IO.AtomicFile.WriteAllText(path, ToJson());
    }

    public static GeneratorParameters Load(string path) => FromJson(File.ReadAllText(path), path);

    /// <summary>Where the parameters of a data file go: beside it, same base name, <c>.params.json</c>
    /// (<c>out.csv</c> → <c>out.params.json</c>; <c>sqlite:db.sqlite</c> → <c>db.params.json</c>).</summary>
    public static string PathBeside(string dataPath)
    {
        int colon = dataPath.IndexOf(':');
        if (colon > 1 && !dataPath.Contains("://")) dataPath = dataPath[(colon + 1)..]; // sqlite:x.db, duckdb:x.duckdb
        var dir = Path.GetDirectoryName(dataPath) ?? "";
        return Path.Combine(dir, Path.GetFileNameWithoutExtension(dataPath) + ".params.json");
    }
}
