using System.Text.RegularExpressions;
using TabTwin.Encoding;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Encoding;

/// <summary>Free text that is not reused is written from learned word and character statistics: like the real text, never a real value.</summary>
public sealed class TextModelTests
{
    private static (string?[] Real, string?[] Generated) RoundTrip(string dataset, string file, string column)
    {
        var source = TableReader.Read(TestData.Dataset(dataset, file))[column];
        var table = new Table([source]);
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = column, Kind = ColumnKind.Text }] };
        var encoding = TableEncoding.Fit(table, schema);
        var decoded = encoding.Decode(encoding.Encode(table), seed: 3)[column];
        return (Enumerable.Range(0, source.Length).Select(source.FormatValue).ToArray(),
                Enumerable.Range(0, decoded.Length).Select(decoded.FormatValue).ToArray());
    }

    [Fact]
    public void Titanic_names_come_out_as_new_names_in_the_same_layout()
    {
        var (real, generated) = RoundTrip("titanic", "titanic3.csv", "name");
        var realSet = real.ToHashSet();
        // Every name is unique, so none is reused: all are generated, and none is a real passenger's name.
        Assert.DoesNotContain(generated, g => g is not null && realSet.Contains(g));
        Assert.True(generated.Count(g => g is null) <= 5, "values left empty after the echo guard");
        // "Surname, Title. Given names": the real layout (≥ 98% of real names) holds for most generated ones.
        var layout = new Regex(@"^[A-Z][\p{L}'\- ]*, (Mr|Mrs|Miss|Master|Dr|Rev)\. [A-Z]");
        double realShare = real.Count(r => r is not null && layout.IsMatch(r)) / (double)real.Length;
        double share = generated.Count(g => g is not null && layout.IsMatch(g)) / (double)generated.Length;
        Assert.True(realShare > 0.9 && share > 0.6, $"layout share: real {realShare:0.00}, generated {share:0.00}");
        Assert.DoesNotContain(generated, g => g is not null && g.Contains("lorem", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_text_model_survives_the_model_file_json()
    {
        var table = new Table([new TextColumn("t", Enumerable.Range(0, 200).Select(i => $"Cozy room {i} in Brooklyn near the park").ToArray())]);
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = "t", Kind = ColumnKind.Text }] };
        var state = (TextEncoderState)TableEncoding.Fit(table, schema).Columns[0];
        var json = System.Text.Json.JsonSerializer.Serialize<ColumnEncoderState>(state, EncodingJson.Options);
        var back = (TextEncoderState)System.Text.Json.JsonSerializer.Deserialize<ColumnEncoderState>(json, EncodingJson.Options)!;
        Assert.NotNull(back.Model);
        Assert.Contains("\"words\"", json);
        Assert.DoesNotContain("Cozy room 17 in", json); // only words used in 5+ rows are kept, never a whole value
    }

    [Fact]
    public void Numbered_labels_whose_learned_spellings_are_all_real_still_get_new_values()
    {
        // "René 1" … "René 30": the digit model can only spell the numbers it saw, so every walk is an echo; the
        // fallback spells new numbers from the digits' frequencies instead of leaving the column empty.
        var real = Enumerable.Range(1, 30).Select(i => $"Ren\u00e9 {i}").ToArray();
        var table = new Table([new TextColumn("name", real)]);
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = "name", Kind = ColumnKind.Text }] };
        var encoding = TableEncoding.Fit(table, schema);
        var decoded = encoding.Decode(encoding.Encode(table), seed: 5)["name"];
        var generated = Enumerable.Range(0, decoded.Length).Select(decoded.FormatValue).ToArray();
        Assert.True(generated.Count(g => g is null) <= 3, $"{generated.Count(g => g is null)} of 30 values left empty");
        Assert.DoesNotContain(generated, g => g is not null && real.Contains(g));
        Assert.All(generated.Where(g => g is not null), g => Assert.Matches(@"^Ren\u00e9 [0-9]+$", g!));
    }
}
