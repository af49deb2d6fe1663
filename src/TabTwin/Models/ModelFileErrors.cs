namespace TabTwin.Models;

/// <summary>The coded errors of model-file reading, with messages bounded in length (file contents are hostile input).</summary>
internal static class ModelFileErrors
{
    /// <summary>Longest quote of file-controlled text (a name, a parser message) in an error.</summary>
    public const int MaxQuote = 200;

    public static string Clip(string? text) =>
        text is null ? "" : text.Length <= MaxQuote ? text : text[..MaxQuote] + "…";

    public static ModelFileException Corrupt(string? file, string what, Exception? inner = null) =>
        new("model.corrupt", $"The model file{Where(file)} is damaged: {what}.", file,
            "Use an undamaged copy of the model file, or fit the model again.", inner);

    public static ModelFileException TooLarge(string? file, string what) =>
        new("model.too-large", $"The model file{Where(file)} is too large to load safely: {what}.", file,
            "If the file is trusted, raise the limits in ModelFileLimits; otherwise do not load it.");

    public static ModelFileException HashMismatch(string? file, string path) =>
        new("model.hash-mismatch",
            $"Model file entry '{Clip(path)}' does not match its SHA-256 in the manifest: the file was damaged or modified.", file,
            "Use an undamaged copy of the model file, or fit the model again.");

    private static string Where(string? file) => file is null ? "" : $" '{Clip(file)}'";
}
