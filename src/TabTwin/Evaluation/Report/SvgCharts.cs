using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace TabTwin.Evaluation.Report;

/// <summary>
/// Small inline SVG charts for the HTML report, drawn in C# so the report needs no script and no network.
/// Every chart starts with a &lt;title&gt; (its accessible name) and escapes all text it is given.
/// </summary>
internal static class SvgCharts
{
    public const string RealColour = "#2f6db5", SyntheticColour = "#e8891d";
    private const int Width = 560, Height = 240, Left = 64, Right = 12, Top = 24, Bottom = 64;

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Side-by-side bars of real and synthetic shares per bin or category.</summary>
    public static string GroupedBars(string title, IReadOnlyList<string> labels, double[] real, double[] synthetic, bool rotateLabels)
    {
        var svg = Open(title);
        double max = Math.Max(1e-12, Math.Max(real.DefaultIfEmpty(0).Max(), synthetic.DefaultIfEmpty(0).Max()));
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double slot = plotW / (double)Math.Max(1, labels.Count);
        Axes(svg, max);
        for (int i = 0; i < labels.Count; i++)
        {
            double x = Left + i * slot;
            double bw = Math.Max(1, slot * 0.4);
            Bar(svg, x + slot * 0.1, real[i] / max * plotH, bw, RealColour, $"{labels[i]}: real {real[i]:P1}");
            Bar(svg, x + slot * 0.1 + bw, synthetic[i] / max * plotH, bw, SyntheticColour, $"{labels[i]}: synthetic {synthetic[i]:P1}");
            // Label every bar when few, else about eight labels so they never overlap.
            int every = Math.Max(1, labels.Count / 8);
            if (i % every != 0) continue;
            string text = HtmlEncode(Shorten(labels[i], 14));
            double lx = x + slot / 2, ly = Height - Bottom + 14;
            svg.Append(rotateLabels
                ? $"<text x=\"{F(lx)}\" y=\"{F(ly)}\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-35 {F(lx)} {F(ly)})\">{text}</text>"
                : $"<text x=\"{F(lx)}\" y=\"{F(ly)}\" font-size=\"10\" text-anchor=\"middle\">{text}</text>");
        }
        Legend(svg);
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A correlation heatmap: colour from blue (−1) through white (0) to red (+1); values printed in cells.</summary>
    public static string Heatmap(string title, IReadOnlyList<string> names, double[,] values, bool absoluteDifference)
    {
        int n = names.Count;
        int cell = Math.Clamp(360 / Math.Max(1, n), 14, 48), labelW = 110;
        int size = labelW + n * cell + 10;
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 {size} {size}\">");
        svg.Append("<title>").Append(HtmlEncode(title)).Append("</title>");
        for (int i = 0; i < n; i++)
        {
            string name = HtmlEncode(Shorten(names[i], 16));
            svg.Append($"<text x=\"{labelW - 4}\" y=\"{labelW + i * cell + cell / 2 + 4}\" font-size=\"10\" text-anchor=\"end\">{name}</text>");
            double cx = labelW + i * cell + cell / 2.0;
            svg.Append($"<text x=\"{F(cx)}\" y=\"{labelW - 4}\" font-size=\"10\" text-anchor=\"start\" transform=\"rotate(-60 {F(cx)} {labelW - 4})\">{name}</text>");
            for (int j = 0; j < n; j++)
            {
                double v = values[i, j];
                string fill = !double.IsFinite(v) ? "#cccccc" : absoluteDifference ? Scale(0, Math.Min(1, v)) : Scale(v, 0);
                string shown = double.IsFinite(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
                svg.Append($"<rect x=\"{labelW + j * cell}\" y=\"{labelW + i * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#fff\">")
                   .Append("<title>").Append(HtmlEncode($"{names[i]} × {names[j]}: {shown}")).Append("</title></rect>");
                if (cell >= 30)
                    svg.Append($"<text x=\"{labelW + j * cell + cell / 2}\" y=\"{labelW + i * cell + cell / 2 + 4}\" font-size=\"9\" text-anchor=\"middle\">{shown}</text>");
            }
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Line chart of one or more series over their index (point i at x = <paramref name="firstX"/> + i · <paramref name="xStep"/>;
    /// a step above 1 labels thinned series by their original step),
    /// on a fixed y range so charts meant to be compared share a scale; a dashed zero line when the range crosses 0; a dot on
    /// every point when <paramref name="markers"/>. NaN points break the line.
    /// </summary>
    public static string Lines(string title, IReadOnlyList<(double[] Y, string Colour)> lines, double yMin, double yMax, int firstX, int xStep, bool markers, bool legend)
    {
        var svg = Open(title);
        if (!(yMax > yMin)) { yMin -= 1; yMax += 1; }
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom, baseline = Height - Bottom;
        int longest = Math.Max(2, lines.Select(l => l.Y.Length).DefaultIfEmpty(2).Max());
        double X(int i) => Left + i / (double)(longest - 1) * plotW;
        double Y(double v) => baseline - (v - yMin) / (yMax - yMin) * plotH;
        svg.Append($"<line x1=\"{Left}\" y1=\"{baseline}\" x2=\"{Width - Right}\" y2=\"{baseline}\" stroke=\"#555\"/>");
        svg.Append($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{baseline}\" stroke=\"#555\"/>");
        svg.Append($"<text x=\"{Left - 4}\" y=\"{Top + 4}\" font-size=\"10\" text-anchor=\"end\">{HtmlEncode(Compact(yMax))}</text>");
        svg.Append($"<text x=\"{Left - 4}\" y=\"{baseline}\" font-size=\"10\" text-anchor=\"end\">{HtmlEncode(Compact(yMin))}</text>");
        if (yMin < 0 && yMax > 0)
            svg.Append($"<line x1=\"{Left}\" y1=\"{F(Y(0))}\" x2=\"{Width - Right}\" y2=\"{F(Y(0))}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>");
        svg.Append($"<text x=\"{Left}\" y=\"{baseline + 14}\" font-size=\"10\">{firstX}</text>")
           .Append($"<text x=\"{Width - Right}\" y=\"{baseline + 14}\" font-size=\"10\" text-anchor=\"end\">{firstX + (longest - 1) * xStep}</text>");
        foreach (var (y, colour) in lines)
        {
            var path = new StringBuilder();
            bool open = false;
            for (int i = 0; i < y.Length; i++)
            {
                if (!double.IsFinite(y[i])) { open = false; continue; }
                path.Append(open ? " L" : " M").Append(F(X(i))).Append(' ').Append(F(Y(Math.Clamp(y[i], yMin, yMax))));
                open = true;
                if (markers) svg.Append($"<circle cx=\"{F(X(i))}\" cy=\"{F(Y(Math.Clamp(y[i], yMin, yMax)))}\" r=\"2.5\" fill=\"{colour}\"/>");
            }
            if (path.Length > 0) svg.Append($"<path d=\"{path.ToString().Trim()}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.2\"/>");
        }
        if (legend) Legend(svg);
        return svg.Append("</svg>").ToString();
    }

    private static string Compact(double v) => Math.Abs(v) >= 1e4 ? v.ToString("0.###e0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Correlation colour for v in [−1, 1]; or, when v is 0, an orange scale for a difference d in [0, 1].</summary>
    private static string Scale(double v, double difference)
    {
        if (difference > 0) return Mix((255, 255, 255), (200, 60, 20), difference);
        return v >= 0 ? Mix((255, 255, 255), (200, 40, 40), Math.Min(1, v)) : Mix((255, 255, 255), (40, 90, 200), Math.Min(1, -v));
    }

    private static string Mix((int R, int G, int B) a, (int R, int G, int B) b, double t) =>
        $"#{(int)(a.R + (b.R - a.R) * t):x2}{(int)(a.G + (b.G - a.G) * t):x2}{(int)(a.B + (b.B - a.B) * t):x2}";

    private static StringBuilder Open(string title) => new StringBuilder()
        .Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">")
        .Append("<title>").Append(HtmlEncode(title)).Append("</title>");

    private static void Axes(StringBuilder svg, double max)
    {
        int baseline = Height - Bottom;
        svg.Append($"<line x1=\"{Left}\" y1=\"{baseline}\" x2=\"{Width - Right}\" y2=\"{baseline}\" stroke=\"#555\"/>");
        svg.Append($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{baseline}\" stroke=\"#555\"/>");
        svg.Append($"<text x=\"{Left - 4}\" y=\"{Top + 4}\" font-size=\"10\" text-anchor=\"end\">{HtmlEncode(max.ToString("P0", CultureInfo.InvariantCulture))}</text>");
        svg.Append($"<text x=\"{Left - 4}\" y=\"{baseline}\" font-size=\"10\" text-anchor=\"end\">0</text>");
    }

    private static void Bar(StringBuilder svg, double x, double h, double w, string colour, string tooltip)
    {
        double y = Height - Bottom - h;
        svg.Append($"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(w)}\" height=\"{F(Math.Max(0, h))}\" fill=\"{colour}\">")
           .Append("<title>").Append(HtmlEncode(tooltip)).Append("</title></rect>");
    }

    private static void Legend(StringBuilder svg)
    {
        int x = Width - Right - 160;
        svg.Append($"<rect x=\"{x}\" y=\"6\" width=\"10\" height=\"10\" fill=\"{RealColour}\"/><text x=\"{x + 14}\" y=\"15\" font-size=\"11\">real</text>");
        svg.Append($"<rect x=\"{x + 60}\" y=\"6\" width=\"10\" height=\"10\" fill=\"{SyntheticColour}\"/><text x=\"{x + 74}\" y=\"15\" font-size=\"11\">synthetic</text>");
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
