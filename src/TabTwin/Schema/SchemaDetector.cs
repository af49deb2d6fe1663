using TabTwin.Tables;

namespace TabTwin.Schema;

public sealed record SchemaDetectionOptions
{
    /// <summary>Bogus locale recorded in the schema for fake personal data.</summary>
    public string Locale { get; init; } = "en";
}

/// <summary>Infers a <see cref="TableSchema"/> from a table: each column's kind with a readable reason.</summary>
public static class SchemaDetector
{
    public static TableSchema Detect(Table table, SchemaDetectionOptions? options = null)
        => throw new NotImplementedException("SchemaDetector: owned by the schema/PII work package.");
}
