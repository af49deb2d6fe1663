using System.Globalization;

namespace TabTwin.Generation.Spec;

/// <summary>
/// Binds <c>datetime</c>/<c>date</c> columns: <c>from</c>/<c>to</c> (ISO dates or date-times), optional
/// <c>seasonality: { hour: [24 weights], weekday: [7 weights, Monday first], month: [12 weights] }</c>,
/// <c>businessHours: true</c> (Monday–Friday, 09:00–17:00) and <c>resolution</c> (second, minute, hour, day or a number of seconds).
/// </summary>
internal static class SpecDateTimeBinder
{
    private static readonly string[] Formats =
        ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];

    public static Distribution Bind(SpecParams p, bool dateOnly)
    {
        var from = Parse(p, "from");
        var to = Parse(p, "to");
        if (dateOnly && p.Map["to"] is SpecScalar { Text: { Length: 10 } }) to = to.AddDays(1); // a date 'to' includes that day
        if (!(to > from)) throw p.Fail("to", $"must be after 'from' ({from:yyyy-MM-dd HH:mm:ss}).");

        IReadOnlyList<double>? hours = null, weekdays = null, months = null;
        if (p.Node("seasonality") is { } s)
        {
            if (s is not SpecMap season) throw p.Fail("seasonality", "must be a mapping with hour, weekday and/or month weights.");
            var at = p.Location("seasonality");
            foreach (var (key, node) in season.Entries)
            {
                var weights = SpecValues.Numbers(node, at.At($"seasonality.{key}", node.Line));
                int expected = key switch { "hour" => 24, "weekday" => 7, "month" => 12, _ => throw at.At($"seasonality.{key}", node.Line)
                    .Error("spec.unknown-field", $"unknown seasonality '{key}'; use hour (24 weights), weekday (7, Monday first) or month (12).") };
                if (weights.Count != expected)
                    throw at.At($"seasonality.{key}", node.Line).Error("spec.bad-parameter", $"needs {expected} weights, got {weights.Count}.");
                SpecValues.CheckWeights(weights, at.At($"seasonality.{key}", node.Line));
                if (key == "hour") hours = weights; else if (key == "weekday") weekdays = weights; else months = weights;
            }
        }
        if (p.Bool("businessHours", false))
        {
            if (hours is not null || weekdays is not null)
                throw p.Fail("businessHours", "cannot be combined with hour or weekday seasonality; give the weights instead.");
            hours = Enumerable.Range(0, 24).Select(h => h is >= 9 and < 17 ? 1.0 : 0.0).ToList();
            weekdays = [1, 1, 1, 1, 1, 0, 0];
        }
        if (dateOnly && hours is not null) throw p.Fail("seasonality", "dates have no hour of day; use type: datetime for hour weights.");
        return new Distribution.DateTimeRange(from, to, hours, weekdays, months, dateOnly, Resolution(p, dateOnly));
    }

    private static DateTime Parse(SpecParams p, string key)
    {
        var text = p.Text(key);
        if (DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        throw p.Fail(key, $"must be a date or date-time like 2024-01-31 or 2024-01-31T08:00:00, got '{text}'.");
    }

    private static TimeSpan? Resolution(SpecParams p, bool dateOnly)
    {
        if (dateOnly) return TimeSpan.FromDays(1);
        if (!p.Has("resolution")) return null;
        var text = p.Text("resolution");
        return text switch
        {
            "second" => TimeSpan.FromSeconds(1),
            "minute" => TimeSpan.FromMinutes(1),
            "hour" => TimeSpan.FromHours(1),
            "day" => TimeSpan.FromDays(1),
            "millisecond" => TimeSpan.FromMilliseconds(1),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 => TimeSpan.FromSeconds(s),
            _ => throw p.Fail("resolution", $"must be second, minute, hour, day, millisecond or a number of seconds, got '{text}'."),
        };
    }
}
