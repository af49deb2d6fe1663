using System.Globalization;
using System.Text;

namespace TabTwin.Bench;

/// <summary>
/// One titled part of bench/RESULTS.md. Sections are independent so a change can re-measure only its own
/// part (<c>-- section &lt;key&gt;</c>) and splice it into the existing file, keeping the others as they were.
/// A section measures through <see cref="BenchContext.Child"/> (one case per child process) and contributes
/// its cases through <see cref="RunCase"/>.
/// </summary>
internal abstract class BenchSection
{
    /// <summary>Short stable name used on the command line and in the RESULTS.md markers.</summary>
    public abstract string Key { get; }

    /// <summary>Writes the section's Markdown, starting with its own <c>## </c> heading.</summary>
    public abstract void Write(StringBuilder sb, BenchContext context);

    /// <summary>Runs one named case in this (child) process, or returns null when the name is not this section's.</summary>
    public abstract Dictionary<string, string>? RunCase(string name, string[] args);

    protected static string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);

    protected static string Ratio(string a, string b) =>
        double.Parse(b, CultureInfo.InvariantCulture) > 0
            ? $"{double.Parse(a, CultureInfo.InvariantCulture) / double.Parse(b, CultureInfo.InvariantCulture):0.00}×"
            : "–";
}

/// <summary>What a section needs to measure: paths and the child-process runner.</summary>
internal sealed class BenchContext(string repo, string work, Func<string, string[], Dictionary<string, string>> child)
{
    public string Repo { get; } = repo;
    /// <summary>Scratch directory for generated inputs (kept between runs).</summary>
    public string Work { get; } = work;
    public string Datasets => Path.GetFullPath(Path.Combine(Repo, "..", "shared", "datasets"));
    public string Adult => Path.Combine(Datasets, "adult", "adult.csv");

    /// <summary>Runs case <paramref name="name"/> in a fresh process and returns its measurements.</summary>
    public Dictionary<string, string> Child(string name, params string[] args) => child(name, args);
}
