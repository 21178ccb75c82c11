using System.Text;

namespace OpenCem.Demo;

/// <summary>Just enough JSON writing for the generator: string escaping without a serializer per event.</summary>
internal static class DemoJson
{
    /// <summary>The JSON string literal for <paramref name="value"/>, quotes included.</summary>
    public static string Quote(string value)
    {
        var clean = true;
        foreach (var ch in value)
        {
            if (ch is '"' or '\\' || ch < ' ')
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return "\"" + value + "\"";
        }

        var builder = new StringBuilder(value.Length + 8).Append('"');
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (ch < ' ')
                    {
                        builder.Append("\\u").Append(((int)ch).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(ch);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
