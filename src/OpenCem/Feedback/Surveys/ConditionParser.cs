using System.Globalization;

namespace OpenCem.Feedback.Surveys;

/// <summary>Recursive-descent parser for the SurveyJS condition language (the subset used by <c>visibleIf</c>).</summary>
internal sealed class ConditionParser(string text)
{
    private static readonly Dictionary<string, string> WordOperators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["equal"] = "=",
        ["notequal"] = "!=",
        ["less"] = "<",
        ["lessorequal"] = "<=",
        ["greater"] = ">",
        ["greaterorequal"] = ">=",
        ["contains"] = "contains",
        ["contain"] = "contains",
        ["notcontains"] = "notcontains",
        ["notcontain"] = "notcontains",
        ["anyof"] = "anyof",
        ["allof"] = "allof",
        ["noneof"] = "noneof",
    };

    private int _position;

    public List<string> Variables { get; } = [];

    public ConditionNode ParseAll()
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ConditionException("The condition is empty.");
        }

        var node = ParseOr();
        SkipSpace();
        if (_position < text.Length)
        {
            throw Error($"unexpected '{text[_position..]}'");
        }

        return node;
    }

    private ConditionNode ParseOr()
    {
        var left = ParseAnd();
        while (TryWord("or") || TrySymbol("||"))
        {
            left = new LogicalNode(false, left, ParseAnd());
        }

        return left;
    }

    private ConditionNode ParseAnd()
    {
        var left = ParseNot();
        while (TryWord("and") || TrySymbol("&&"))
        {
            left = new LogicalNode(true, left, ParseNot());
        }

        return left;
    }

    private ConditionNode ParseNot()
    {
        if (TryWord("not") || (Peek() == '!' && PeekAt(1) != '=' && TrySymbol("!")))
        {
            return new NotNode(ParseNot());
        }

        return ParseComparison();
    }

    private ConditionNode ParseComparison()
    {
        var left = ParsePrimary();
        if (TryWord("notempty"))
        {
            return new UnaryTestNode("notempty", left);
        }

        if (TryWord("empty"))
        {
            return new UnaryTestNode("empty", left);
        }

        foreach (var symbol in new[] { "==", "!=", "<>", "<=", ">=", "=", "<", ">" })
        {
            if (TrySymbol(symbol))
            {
                var op = symbol switch { "==" => "=", "<>" => "!=", _ => symbol };
                return new ComparisonNode(op, left, ParsePrimary());
            }
        }

        SkipSpace();
        var start = _position;
        var word = ReadWord();
        if (word is not null && WordOperators.TryGetValue(word, out var named))
        {
            return new ComparisonNode(named, left, ParsePrimary());
        }

        _position = start;
        if (Peek() is '+' or '-' or '*' or '/' or '%' or '^')
        {
            throw Error("arithmetic is not supported");
        }

        return left;
    }

    private ConditionNode ParsePrimary()
    {
        SkipSpace();
        var c = Peek();
        switch (c)
        {
            case '\0':
                throw Error("a value is missing at the end");
            case '(':
                _position++;
                var inner = ParseOr();
                Expect(')');
                return inner;
            case '{':
                return ParseVariable();
            case '[':
                return ParseList();
            case '\'' or '"':
                return new ConstantNode(ReadString(c));
        }

        if (char.IsDigit(c) || ((c == '-' || c == '.') && char.IsDigit(PeekAt(1))))
        {
            return new ConstantNode(ReadNumber());
        }

        var word = ReadWord() ?? throw Error($"unexpected '{c}'");
        SkipSpace();
        if (Peek() == '(')
        {
            throw Error($"function '{word}' is not supported");
        }

        return word.ToLowerInvariant() switch
        {
            "true" => new ConstantNode(true),
            "false" => new ConstantNode(false),
            "null" or "undefined" => new ConstantNode(null),
            _ => new ConstantNode(word),
        };
    }

    private ConditionNode ParseVariable()
    {
        var close = text.IndexOf('}', _position);
        if (close < 0)
        {
            throw Error("'{' without '}'");
        }

        var name = text[(_position + 1)..close].Trim();
        _position = close + 1;
        if (name.Length == 0)
        {
            throw Error("'{}' names no question");
        }

        if (name.Contains('[', StringComparison.Ordinal) || name.StartsWith('$') || name.StartsWith("panel.", StringComparison.Ordinal) || name.StartsWith("row.", StringComparison.Ordinal))
        {
            throw Error($"'{{{name}}}' is not supported (only question names and matrix cells such as {{matrix.row}})");
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var question = dot < 0 ? name : name[..dot];
        Variables.Add(question);
        return new VariableNode(question, dot < 0 ? null : name[(dot + 1)..]);
    }

    private ListNode ParseList()
    {
        _position++;
        var items = new List<ConditionNode>();
        SkipSpace();
        if (Peek() == ']')
        {
            _position++;
            return new ListNode(items);
        }

        while (true)
        {
            items.Add(ParsePrimary());
            SkipSpace();
            if (Peek() == ',')
            {
                _position++;
                continue;
            }

            Expect(']');
            return new ListNode(items);
        }
    }

    private string ReadString(char quote)
    {
        var end = text.IndexOf(quote, _position + 1);
        if (end < 0)
        {
            throw Error("a text value has no closing quote");
        }

        var value = text[(_position + 1)..end];
        _position = end + 1;
        return value;
    }

    private double ReadNumber()
    {
        var start = _position;
        if (Peek() == '-')
        {
            _position++;
        }

        while (char.IsDigit(Peek()) || Peek() == '.')
        {
            _position++;
        }

        return double.Parse(text[start.._position], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private string? ReadWord()
    {
        var start = _position;
        while (char.IsLetterOrDigit(Peek()) || Peek() == '_')
        {
            _position++;
        }

        return _position > start ? text[start.._position] : null;
    }

    private bool TryWord(string word)
    {
        SkipSpace();
        if (string.Compare(text, _position, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
            && !char.IsLetterOrDigit(PeekAt(word.Length)) && PeekAt(word.Length) != '_')
        {
            _position += word.Length;
            return true;
        }

        return false;
    }

    private bool TrySymbol(string symbol)
    {
        SkipSpace();
        if (string.CompareOrdinal(text, _position, symbol, 0, symbol.Length) == 0)
        {
            _position += symbol.Length;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (Peek() != c)
        {
            throw Error($"'{c}' expected");
        }

        _position++;
    }

    private void SkipSpace()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
    }

    private char Peek() => PeekAt(0);

    private char PeekAt(int offset) => _position + offset < text.Length ? text[_position + offset] : '\0';

    private ConditionException Error(string what) => new($"Cannot read the condition \"{text}\" at position {_position + 1}: {what}.");
}
