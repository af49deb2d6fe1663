using System.CommandLine;
using TabTwin.Sampling;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Cli.Commands;

/// <summary><c>--where</c> and <c>--conditions</c>, shared by <c>sample</c> and <c>run</c>, and the sampling step they select.</summary>
internal static class ConditionOptions
{
    public static Option<string[]> Where() => new("--where", "-w")
    {
        Description = "Only rows satisfying this condition (repeat to combine; conditions on one column intersect): " +
                      "country=DE, country!=DE, age>=30, age<40, age between 30 and 40, country in (DE, FR), signup>=2020-01-01, email is missing.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> Conditions() => new("--conditions")
    {
        Description = $"Table of condition sets (CSV or any readable table), one set per row, columns named like the model's; a cell is a value " +
                      $"(equality), or an operator and value (>=30, in (DE, FR)); empty = free. Each row gives one output row matching it, " +
                      $"or '{ConditionalSampling.CountColumn}' rows when that column exists.",
    };

    /// <summary>Rows from <paramref name="model"/>: unconditional, under the --where set, or per --conditions row.</summary>
    public static Table Sample(CliConsole console, ISynthesizerModel model, int? rows, string[]? wheres, string? conditionsPath, ulong seed)
    {
        wheres ??= [];
        if (conditionsPath is not null)
        {
            if (wheres.Length > 0)
                throw new TabTwinException("cli.conditions", "Use either --where or --conditions, not both.",
                    hint: "Put shared conditions into every row of the conditions table.");
            if (rows is not null)
                throw new TabTwinException("cli.rows", $"--rows does not apply with --conditions: each conditions row gives one output row, or '{ConditionalSampling.CountColumn}' rows.",
                    hint: $"Add a '{ConditionalSampling.CountColumn}' column to the conditions table to ask for several rows per set.");
            var table = CommonOptions.ReadTable(console, conditionsPath, null, null, null);
            return console.Step($"Sampling {table.RowCount:N0} condition rows", p =>
                model.SampleFromTable(table, seed, new SampleContext(p)));
        }
        int n = rows ?? throw new TabTwinException("cli.rows", "--rows is required (or give --conditions).");
        if (n <= 0) throw new TabTwinException("cli.rows", $"--rows must be a positive number of rows, not {n}.");
        SampleBudget.Ensure(model.Schema, n);
        if (wheres.Length == 0) return console.Step($"Sampling {n:N0} rows", p => model.Sample(n, seed, new SampleContext(p)));
        var set = ConditionParser.ParseAll(wheres, model.Schema);
        return console.Step($"Sampling {n:N0} rows where {set}", p => model.Sample(n, set, seed, new SampleContext(p)));
    }
}
