using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OpenCem.Value.Churn;

/// <summary>Turns a customer's feature contributions into the few reasons shown with their risk. Pure.</summary>
public static class ChurnReasons
{
    public const int Shown = 3;

    /// <summary>One writer and buffer per thread: the stored JSON is written once per customer scored.</summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _json;

    public static IReadOnlyList<ChurnReason> Top(ChurnFeatureSchema schema, ChurnFacts facts, float[] contributions)
    {
        Span<int> best = stackalloc int[Shown];
        var found = Strongest(contributions, best);
        var reasons = new List<ChurnReason>(found);
        foreach (var j in best[..found])
        {
            reasons.Add(new ChurnReason(
                schema.Columns[j].Name, ChurnFeatureSchema.Display(schema.Columns[j], facts), Direction(contributions[j]), Math.Round(contributions[j], 4)));
        }

        return reasons;
    }

    /// <summary>
    /// <see cref="Top"/> as the JSON that is stored, byte for byte what <see cref="JsonSerializer"/> writes for it with
    /// the web defaults (a test holds them equal), without building the reasons first.
    /// </summary>
    public static string Json(ChurnFeatureSchema schema, ChurnFacts facts, float[] contributions)
    {
        Span<int> best = stackalloc int[Shown];
        var found = Strongest(contributions, best);
        var (buffer, writer) = _json ??= (new ArrayBufferWriter<byte>(1_024), new Utf8JsonWriter(Stream.Null));
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartArray();
        foreach (var j in best[..found])
        {
            writer.WriteStartObject();
            writer.WriteString("feature"u8, schema.Columns[j].Name);
            writer.WriteString("value"u8, ChurnFeatureSchema.Display(schema.Columns[j], facts));
            writer.WriteString("direction"u8, Direction(contributions[j]));
            writer.WriteNumber("weight"u8, Math.Round(contributions[j], 4));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Direction(float contribution) => contribution > 0 ? "raises" : "lowers";

    /// <summary>The strongest few by absolute contribution, strongest first, picked in one pass (this runs once per customer).</summary>
    private static int Strongest(float[] contributions, Span<int> best)
    {
        var found = 0;
        for (var j = 0; j < contributions.Length; j++)
        {
            if (contributions[j] == 0)
            {
                continue;
            }

            var at = found < Shown ? found++ : Shown;
            while (at > 0 && Math.Abs(contributions[best[at - 1]]) < Math.Abs(contributions[j]))
            {
                if (at < Shown)
                {
                    best[at] = best[at - 1];
                }

                at--;
            }

            if (at < Shown)
            {
                best[at] = j;
            }
        }

        return found;
    }
}
