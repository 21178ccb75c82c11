using System.Globalization;
using System.Text;

namespace OpenCem.Demo;

/// <summary>Writes one response's answers as the JSON object the response API takes, without a serializer per answer.</summary>
internal sealed class AnswerWriter
{
    private readonly StringBuilder _json = new(512);
    private int _cells = -1;
    private int _matrixStart;

    public AnswerWriter Start()
    {
        _json.Clear().Append('{');
        _cells = -1;
        return this;
    }

    public AnswerWriter Number(string name, int value)
    {
        Name(name).Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public AnswerWriter Text(string name, string value)
    {
        Name(name).Append(DemoJson.Quote(value));
        return this;
    }

    public AnswerWriter Boolean(string name, bool value)
    {
        Name(name).Append(value ? "true" : "false");
        return this;
    }

    /// <summary>Starts a matrix answer; <see cref="Cell"/> adds its rows, <see cref="EndMatrix"/> closes it (or drops it when empty).</summary>
    public AnswerWriter StartMatrix(string name)
    {
        _matrixStart = _json.Length;
        Name(name).Append('{');
        _cells = 0;
        return this;
    }

    public AnswerWriter Cell(string row, int value)
    {
        _json.Append(_cells++ == 0 ? "" : ",").Append('"').Append(row).Append("\":").Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public AnswerWriter EndMatrix()
    {
        if (_cells == 0)
        {
            // No row answered: take the property back out.
            _json.Length = _matrixStart;
        }
        else
        {
            _json.Append('}');
        }

        _cells = -1;
        return this;
    }

    public string End() => _json.Append('}').ToString();

    private StringBuilder Name(string name) => _json.Append(_json.Length > 1 ? "," : "").Append('"').Append(name).Append("\":");
}
