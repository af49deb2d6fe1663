using Bogus;

namespace TabTwin.Schema;

/// <summary>The Bogus locales fake personal data can be generated in; one check shared by detection, metadata and the faker.</summary>
public static class PiiLocales
{
    private static readonly Lazy<string[]> LocalesLazy = new(() => Database.GetAllLocales().OrderBy(l => l, StringComparer.Ordinal).ToArray());

    /// <summary>All Bogus locale codes (e.g. <c>en</c>, <c>de</c>, <c>en_GB</c>, <c>pt_BR</c>).</summary>
    public static IReadOnlyList<string> Known => LocalesLazy.Value;

    public static bool IsKnown(string? locale) => locale is not null && Array.IndexOf(LocalesLazy.Value, locale) >= 0;

    /// <summary>Throws a <see cref="SchemaException"/> with code <c>schema.locale</c> when <paramref name="locale"/> is not a Bogus locale.</summary>
    public static void Validate(string? locale, string? column = null, string? file = null)
    {
        if (IsKnown(locale)) return;
        var some = string.Join(", ", new[] { "en", "en_US", "en_GB", "de", "fr", "es", "it", "nl", "pt_BR", "sv", "ja" }.Where(IsKnown));
        throw new SchemaException("schema.locale",
            $"Unknown locale '{locale}' for fake personal data; valid locales include {some} ({Known.Count} in all).",
            column: column, file: file, hint: "Use a Bogus locale code such as 'en' or 'de' (with an underscore, not a hyphen: 'en_GB').");
    }
}
