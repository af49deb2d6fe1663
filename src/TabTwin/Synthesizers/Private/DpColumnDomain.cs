using System.Globalization;
using TabTwin.Encoding;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Private;

/// <summary>How a column takes part in DP synthesis.</summary>
internal enum DpColumnRole
{
    /// <summary>Labels (categorical, boolean, repeated text): one code per released or declared value.</summary>
    Labels,
    /// <summary>Numbers and datetimes: bins over public or DP-released bounds.</summary>
    Numbers,
    /// <summary>A key: regenerated in its declared format, never read.</summary>
    Id,
    /// <summary>Personal data: faked, never read.</summary>
    Pii,
}

/// <summary>
/// The public domain of one column, as a model file stores it: everything here is either from the metadata or a DP
/// release already charged to the accountant, so coding rows with it and decoding codes back cost nothing more.
/// Codes of a <see cref="DpColumnRole.Labels"/> column are the label indexes; of a <see cref="DpColumnRole.Numbers"/>
/// column, [zero atom], the bins in value order; in both the last code is "missing" (which also takes a value outside
/// the domain: a category too rare to release or not declared).
/// </summary>
internal sealed record DpColumnDomain
{
    public required string Name { get; init; }
    public required DpColumnRole Role { get; init; }
    public required StorageSpec Storage { get; init; }
    public string[]? Labels { get; init; }
    public double Low { get; init; }
    public double High { get; init; }
    /// <summary>Equal-width bins over [Low, High], or one bin per integer when <see cref="PerInteger"/>.</summary>
    public int Bins { get; init; }
    public bool PerInteger { get; init; }
    public bool Integer { get; init; }
    /// <summary>Zero has a code of its own (zero-inflated amounts keep their exact zeros).</summary>
    public bool ZeroAtom { get; init; }
    /// <summary>
    /// Datetimes are numbers of days since <see cref="Epoch"/> (2000-01-01, a public constant): near it, the public grid
    /// the range is found on has fine steps, where days since year 1 (~730,000) would put a grid step at decades.
    /// </summary>
    internal static readonly long Epoch = new DateTime(2000, 1, 1).Ticks;

    /// <summary>Numbers are days since <see cref="Epoch"/> written back as datetimes.</summary>
    public bool Datetime { get; init; }
    public PiiType? Pii { get; init; }
    public string? IdPattern { get; init; }
    /// <summary>Share of rows left missing in a generated column (personal data), from a noisy count.</summary>
    public double MissingRate { get; init; }
    /// <summary>Datetimes with a UTC offset: the released offsets (minutes) and their cumulative noisy weights, drawn per row.</summary>
    public short[]? Offsets { get; init; }
    public double[]? OffsetCumulative { get; init; }

    /// <summary>Number of codes, "missing" included; 0 for columns not modelled (ids, personal data).</summary>
    public int Size => Role switch
    {
        DpColumnRole.Labels => Labels!.Length + 1,
        DpColumnRole.Numbers => (ZeroAtom ? 1 : 0) + Bins + 1,
        _ => 0,
    };

    public int MissingCode => Size - 1;
    public bool IsModelled => Role is DpColumnRole.Labels or DpColumnRole.Numbers;
    private double Width => PerInteger ? 1 : (High - Low) / Bins;

    /// <summary>A column's value as a number on this domain's scale (datetimes in days), or null when missing.</summary>
    internal static double? NumberAt(Column column, int row) => column switch
    {
        _ when column.IsMissing(row) => null,
        NumericColumn n => n[row] is var v && double.IsFinite(v) ? v : null,
        DateTimeColumn d => (d.Ticks[row] - Epoch) / (double)TimeSpan.TicksPerDay,
        _ => double.TryParse(column.FormatValue(row), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null,
    };

    /// <summary>Every row's code.</summary>
    public int[] Encode(Column column)
    {
        var codes = new int[column.Length];
        if (Role == DpColumnRole.Labels)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int k = 0; k < Labels!.Length; k++) index.TryAdd(Labels[k], k);
            for (int i = 0; i < codes.Length; i++)
                codes[i] = column.FormatValue(i) is { } s && index.TryGetValue(s, out int k) ? k : MissingCode;
            return codes;
        }
        for (int i = 0; i < codes.Length; i++) codes[i] = NumberAt(column, i) is { } v ? BinOf(v) : MissingCode;
        return codes;
    }

    private int BinOf(double value)
    {
        double v = Math.Clamp(value, Low, High);
        if (ZeroAtom && v == 0) return 0;
        int bin = PerInteger ? (int)Math.Round(v - Low) : (int)Math.Floor((v - Low) / Width);
        return (ZeroAtom ? 1 : 0) + Math.Clamp(bin, 0, Bins - 1);
    }

    /// <summary>The column for sampled <paramref name="codes"/>: labels as they are, numbers uniform within their bin.</summary>
    public Column Decode(int[] codes, ulong seed)
    {
        int n = codes.Length;
        if (Role == DpColumnRole.Labels)
        {
            var values = new string?[n];
            for (int i = 0; i < n; i++) values[i] = codes[i] == MissingCode ? null : Labels![codes[i]];
            return ColumnStorage.FromStrings(Name, values, Storage, Labels);
        }
        var random = SeededRandom.For(seed, 0x4e554d42);   // "NUMB"
        var numbers = new double[n];
        var missing = new Bitmask.Builder(n);
        for (int i = 0; i < n; i++)
        {
            if (codes[i] == MissingCode) { missing.Set(i); continue; }
            numbers[i] = ValueOf(codes[i], random);
        }
        var mask = missing.Build();
        if (Datetime)
        {
            double lowest = -Epoch / (double)TimeSpan.TicksPerDay, highest = (DateTime.MaxValue.Ticks - Epoch) / (double)TimeSpan.TicksPerDay - 1;
            var ticks = numbers.Select(d => Epoch + (long)Math.Round(Math.Clamp(d, lowest, highest) * TimeSpan.TicksPerDay)).ToArray();
            short[]? offsets = null;
            if (Offsets is { Length: > 0 } released && OffsetCumulative is { } weights)
            {
                offsets = new short[n];
                for (int i = 0; i < n; i++) offsets[i] = released[random.NextWeighted(weights)];
            }
            return new DateTimeColumn(Name, ticks, mask, Storage.DateFormat ?? DateTimeColumn.IsoFormat, offsets);
        }
        return new NumericColumn(Name, numbers, mask, Integer, Storage.DecimalPlaces);
    }

    private double ValueOf(int code, SeededRandom random)
    {
        if (ZeroAtom && code == 0) return 0;
        int bin = code - (ZeroAtom ? 1 : 0);
        if (PerInteger) return Low + bin;
        double v = Low + (bin + random.NextDouble()) * Width;
        if (Integer) v = Math.Round(v);
        else if (Storage.DecimalPlaces > 0) v = Math.Round(v, Math.Min(15, Storage.DecimalPlaces));
        // Rounding may step past a bound or onto zero, which has its own code.
        v = Math.Clamp(v, Low, High);
        return ZeroAtom && v == 0 ? (Integer ? (Low < 0 ? -1 : 1) : Width / 2) : v;
    }

    /// <summary>A column that is not modelled: new keys, or fake personal values.</summary>
    public Column Generate(int rows, ulong seed)
    {
        switch (Role)
        {
            case DpColumnRole.Id:
                return ColumnStorage.Restore(IdFormat.Parse(IdPattern ?? "num:{seq:0:1:1}").Generate(Name, rows, seed), Storage);
            case DpColumnRole.Pii:
                var values = ColumnStorage.ToStrings(PiiFaker.Generate(Name, Pii!.Value, "en", rows, seed));
                var random = SeededRandom.For(seed, 1);
                for (int i = 0; i < rows; i++) if (MissingRate > 0 && random.NextBernoulli(MissingRate)) values[i] = null;
                return ColumnStorage.FromStrings(Name, values, Storage.HoldsAnyString ? Storage : new StorageSpec { Type = ColumnType.Text });
            default:
                throw new InvalidOperationException($"Column '{Name}' is modelled.");
        }
    }

    /// <summary>Whether every label can be written back as the source's storage type (a damaged file may hold any text).</summary>
    private bool LabelsFitStorage()
    {
        try
        {
            ColumnStorage.FromStrings(Name, Labels!, Storage, Labels);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or TabTwinException)
        {
            return false;
        }
    }

    /// <summary>Why a model file's list of domains cannot be used, naming the column, or null.</summary>
    internal static string? ProblemOf(IEnumerable<DpColumnDomain?> domains)
    {
        foreach (var d in domains)
        {
            if (d is null) return "a column domain is missing";
            if (string.IsNullOrEmpty(d.Name)) return "a column domain has no name";
            if (d.Problem() is { } problem) return $"column '{d.Name}': {problem}";
        }
        return null;
    }

    /// <summary>Why this domain cannot be used (a damaged model file), or null.</summary>
    internal string? Problem() => Role switch
    {
        DpColumnRole.Labels when Labels is null => "its labels are missing",
        DpColumnRole.Labels when !LabelsFitStorage() => "its labels cannot be written in its column's storage type",
        DpColumnRole.Numbers when !(double.IsFinite(Low) && double.IsFinite(High) && Low <= High) => "its bounds are not finite and ordered",
        DpColumnRole.Numbers when Bins is < 1 or > 100_000 => "its bin count is out of range",
        DpColumnRole.Pii when Pii is null => "its personal-data type is missing",
        _ when !(MissingRate is >= 0 and <= 1) => "its missing rate is not a share",
        _ when Offsets is not null && (OffsetCumulative is null || OffsetCumulative.Length != Offsets.Length || Offsets.Length == 0 || !(OffsetCumulative[^1] > 0))
            => "its offsets do not match their weights",
        _ => null,
    };
}
