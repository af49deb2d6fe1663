using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Evaluation;

/// <summary>
/// Renders the HTML report in headless Chromium: the page must lay out its charts (DOM has every SVG, no error
/// text) and paint a non-blank screenshot. Skipped when /usr/bin/chromium is absent (install it with
/// .ci/install-chromium.sh), except under TABTWIN_REQUIRE_CHROMIUM=1, where a missing browser fails the test.
/// </summary>
public sealed class HtmlReportBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public void Chromium_renders_every_chart_and_paints_a_non_blank_page()
    {
        bool required = Environment.GetEnvironmentVariable("TABTWIN_REQUIRE_CHROMIUM") == "1";
        if (!File.Exists(Chromium))
        {
            Assert.False(required, $"TABTWIN_REQUIRE_CHROMIUM=1 but {Chromium} is missing; run .ci/install-chromium.sh as root.");
            SkipReasons.Skip($"{Chromium} is not installed (run .ci/install-chromium.sh as root to enable this test).");
        }

        var dir = TestData.NewTempDir();
        var reportPath = Path.Combine(dir, "report.html");
        File.WriteAllText(reportPath, HtmlReportTests.Render(out _));
        var url = new Uri(reportPath).AbsoluteUri;

        var dom = RunChromium(dir, "--dump-dom", url);
        Assert.True(Regex.Matches(dom, "<svg ").Count >= HtmlReportTests.Schema.Columns.Count + 3, "the rendered DOM lacks charts");
        Assert.Contains("TabTwin evaluation report", dom);
        Assert.Contains("&lt;b&gt;&amp;\"x\"", dom);   // the escaped column name survives as text, not as markup
        Assert.DoesNotContain("This page isn", dom);    // Chromium's error page
        Assert.DoesNotContain("ERR_", dom);

        var png = Path.Combine(dir, "report.png");
        RunChromium(dir, $"--screenshot={png}", "--window-size=1280,2000", url);
        Assert.True(File.Exists(png), "Chromium wrote no screenshot");
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 20_000, $"the screenshot is suspiciously small ({bytes.Length} bytes)");
        var (width, height, pixels) = DecodePng(bytes);
        Assert.Equal((1280, 2000), (width, height));
        // A blank page compresses to a handful of distinct byte values; charts and text give many.
        Assert.True(pixels.Distinct().Count() > 32, "the screenshot looks blank");
    }

    /// <summary>Runs Chromium headless with a fresh profile; returns stdout; kills it (and fails) after the timeout.</summary>
    private static string RunChromium(string dir, params string[] args)
    {
        var profile = Directory.CreateDirectory(Path.Combine(dir, "profile-" + Guid.NewGuid().ToString("N"))).FullName;
        var info = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}" })
            info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Chromium did not finish within {Timeout.TotalSeconds} s: {string.Join(' ', args)}");
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Width, height and the inflated (still filtered) scanline bytes of a PNG.</summary>
    private static (int Width, int Height, byte[] Data) DecodePng(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "not a PNG");
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        for (int at = 8; at + 8 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR") { width = BinaryPrimitives.ReadInt32BigEndian(data); height = BinaryPrimitives.ReadInt32BigEndian(data[4..]); }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflate = new ZLibStream(idat, CompressionMode.Decompress);
        using var pixels = new MemoryStream();
        inflate.CopyTo(pixels);
        return (width, height, pixels.ToArray());
    }
}
