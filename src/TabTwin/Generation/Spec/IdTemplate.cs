using System.Text;
using TabTwin.Encoding;

namespace TabTwin.Generation.Spec;

/// <summary>
/// The ID formats a spec accepts, translated to the <see cref="IdFormat.Pattern"/> grammar:
/// <c>{000000}</c> = the row's sequence number zero-padded to that many digits, <c>{0}</c> or <c>{seq}</c> = unpadded,
/// <c>{uuid}</c>/<c>{UUID}</c> = a random UUID, and the pattern placeholders <c>{d:4}</c>, <c>{A:3}</c>, <c>{X:8}</c>,
/// <c>{seq:W:START:STEP}</c>, <c>{uuid:N}</c> as they are. <c>{{</c> and <c>}}</c> are literal braces.
/// Example: <c>CUST-{000000}</c>, <c>INV-{A:2}{d:6}</c>.
/// </summary>
internal static class IdTemplate
{
    public static IdPattern Parse(string format, long start = 1, long step = 1)
    {
        ArgumentNullException.ThrowIfNull(format);
        var sb = new StringBuilder("text:");
        for (int i = 0; i < format.Length; i++)
        {
            char ch = format[i];
            if (ch == '{' && i + 1 < format.Length && format[i + 1] == '{') { sb.Append("{{"); i++; continue; }
            if (ch == '}' && i + 1 < format.Length && format[i + 1] == '}') { sb.Append("}}"); i++; continue; }
            if (ch != '{') { sb.Append(ch); continue; }
            int close = format.IndexOf('}', i);
            if (close < 0) { sb.Append(format[i..]); break; } // IdPattern reports the unclosed brace
            string inner = format[(i + 1)..close];
            sb.Append(inner switch
            {
                "seq" => $"{{seq:0:{start}:{step}}}",
                "uuid" => "{uuid:D}",
                "UUID" => "{UUID:D}",
                _ when inner.Length > 0 && inner.All(c => c == '0') => $"{{seq:{(inner.Length == 1 ? 0 : inner.Length)}:{start}:{step}}}",
                _ => "{" + inner + "}",
            });
            i = close;
        }
        return IdPattern.Parse(sb.ToString());
    }
}
