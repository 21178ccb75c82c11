using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace OpenCem.Feedback.Surveys;

/// <summary>
/// A respondent's answers in canonical form, keyed by question name: a rating is a <see cref="double"/>, a single
/// choice the choice's value, a checkbox a <c>string[]</c>, a boolean a <see cref="bool"/>, text a
/// <see cref="string"/> (a number for <c>inputType: number</c>), a matrix a row → column dictionary.
/// </summary>
public sealed class Answers
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    public int Count => _values.Count;

    public IEnumerable<KeyValuePair<string, object>> Values => _values;

    public object? this[string name] => _values.GetValueOrDefault(name);

    public void Set(string name, object value) => _values[name] = value;

    public bool Remove(string name) => _values.Remove(name);

    public bool Has(string name) => _values.ContainsKey(name);

    public double? Number(string? name) => name is not null && _values.GetValueOrDefault(name) is double d ? d : null;

    /// <summary>A buffer and writer per thread: imports serialise hundreds of thousands of answer sets.</summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_json;

    /// <summary>Answers as stored: a JSON object in the order of the survey's questions.</summary>
    public string ToJson(SurveyDefinition definition)
    {
        var (buffer, writer) = t_json ??= Create();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        foreach (var question in definition.Questions)
        {
            if (_values.TryGetValue(question.Name, out var value))
            {
                writer.WritePropertyName(question.Name);
                Write(writer, question, value);
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        var json = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > 65536)
        {
            t_json = null;
        }

        return json;

        static (ArrayBufferWriter<byte>, Utf8JsonWriter) Create()
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            return (buffer, new Utf8JsonWriter(buffer));
        }
    }

    /// <summary>Reads stored answers back (they were valid when stored; questions removed since are skipped).</summary>
    public static Answers FromJson(SurveyDefinition definition, string json)
    {
        var answers = new Answers();
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (definition.Find(property.Name) is { } question && AnswerReader.FromJson(question, property.Value, out _) is { } value)
            {
                answers.Set(question.Name, value);
            }
        }

        return answers;
    }

    /// <summary>One answer as a text cell (CSV export): checkbox values joined by ';', matrix cells separately.</summary>
    public static string Text(object value) => value switch
    {
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string[] items => string.Join(';', items),
        IReadOnlyDictionary<string, string> cells => string.Join(';', cells.Select(c => $"{c.Key}={c.Value}")),
        _ => value.ToString() ?? "",
    };

    private static void Write(Utf8JsonWriter writer, Question question, object value)
    {
        switch (value)
        {
            case double d when d == Math.Floor(d) && Math.Abs(d) < 1e15:
                // Ratings are whole numbers: written as such, without formatting a floating-point number.
                writer.WriteNumberValue((long)d);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case string[] items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteChoice(writer, question, item);
                }

                writer.WriteEndArray();
                break;
            case IReadOnlyDictionary<string, string> cells:
                writer.WriteStartObject();
                foreach (var (row, column) in cells)
                {
                    writer.WritePropertyName(row);
                    var numeric = question.Columns.FirstOrDefault(c => c.Value == column)?.IsNumber == true;
                    if (numeric)
                    {
                        writer.WriteRawValue(column);
                    }
                    else
                    {
                        writer.WriteStringValue(column);
                    }
                }

                writer.WriteEndObject();
                break;
            case string text when question.Type is QuestionType.RadioGroup or QuestionType.Dropdown:
                WriteChoice(writer, question, text);
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }

    private static void WriteChoice(Utf8JsonWriter writer, Question question, string value)
    {
        if (question.FindChoice(value)?.IsNumber == true)
        {
            writer.WriteRawValue(value);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
