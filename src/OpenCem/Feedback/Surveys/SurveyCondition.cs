using System.Globalization;

namespace OpenCem.Feedback.Surveys;

/// <summary>
/// A SurveyJS condition (<c>visibleIf</c>): <c>{nps} &lt;= 6</c>, <c>{contact} = 'phone' and {reason} notempty</c>,
/// <c>{topics} anyof ['billing', 'price']</c>. Parsed once with the definition and evaluated against answers on the
/// server, so branching works without JavaScript. Comparisons of text ignore case, as SurveyJS does by default;
/// arithmetic and functions are not supported and are reported as such.
/// </summary>
public sealed class SurveyCondition
{
    private readonly ConditionNode _root;

    private SurveyCondition(string text, ConditionNode root, IReadOnlyList<string> variables)
    {
        Text = text;
        _root = root;
        Variables = variables;
    }

    public string Text { get; }

    /// <summary>The question names the condition reads (<c>{matrix.row}</c> reads <c>matrix</c>).</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>Parses a condition or explains what is wrong with it.</summary>
    public static SurveyCondition Parse(string text)
    {
        var parser = new ConditionParser(text);
        var root = parser.ParseAll();
        return new SurveyCondition(text, root, parser.Variables.Distinct().ToList());
    }

    /// <summary>True when the condition holds; <paramref name="answer"/> returns an answer by question name.</summary>
    public bool Evaluate(Func<string, object?> answer) => ConditionValues.Truthy(_root.Evaluate(answer));

    public override string ToString() => Text;
}

/// <summary>A condition that cannot be parsed, with the reason.</summary>
public sealed class ConditionException(string message) : Exception(message);

internal abstract record ConditionNode
{
    public abstract object? Evaluate(Func<string, object?> answer);
}

internal sealed record ConstantNode(object? Value) : ConditionNode
{
    public override object? Evaluate(Func<string, object?> answer) => Value;
}

internal sealed record VariableNode(string Name, string? Member) : ConditionNode
{
    public override object? Evaluate(Func<string, object?> answer)
    {
        var value = answer(Name);
        if (Member is null)
        {
            return value;
        }

        return value is IReadOnlyDictionary<string, string> cells && cells.TryGetValue(Member, out var cell) ? cell : null;
    }
}

internal sealed record ListNode(IReadOnlyList<ConditionNode> Items) : ConditionNode
{
    public override object? Evaluate(Func<string, object?> answer) => Items.Select(i => i.Evaluate(answer)).ToList();
}

internal sealed record NotNode(ConditionNode Operand) : ConditionNode
{
    public override object? Evaluate(Func<string, object?> answer) => !ConditionValues.Truthy(Operand.Evaluate(answer));
}

internal sealed record LogicalNode(bool IsAnd, ConditionNode Left, ConditionNode Right) : ConditionNode
{
    public override object? Evaluate(Func<string, object?> answer) => IsAnd
        ? ConditionValues.Truthy(Left.Evaluate(answer)) && ConditionValues.Truthy(Right.Evaluate(answer))
        : ConditionValues.Truthy(Left.Evaluate(answer)) || ConditionValues.Truthy(Right.Evaluate(answer));
}

internal sealed record UnaryTestNode(string Operator, ConditionNode Operand) : ConditionNode
{
    public override object? Evaluate(Func<string, object?> answer)
    {
        var empty = ConditionValues.IsEmpty(Operand.Evaluate(answer));
        return Operator == "empty" ? empty : !empty;
    }
}

internal sealed record ComparisonNode(string Operator, ConditionNode Left, ConditionNode Right) : ConditionNode
{
    public override object? Evaluate(Func<string, object?> answer)
    {
        var left = Left.Evaluate(answer);
        var right = Right.Evaluate(answer);
        return Operator switch
        {
            "=" => ConditionValues.AreEqual(left, right),
            "!=" => !ConditionValues.AreEqual(left, right),
            "<" => ConditionValues.Compare(left, right) is < 0,
            "<=" => ConditionValues.Compare(left, right) is <= 0,
            ">" => ConditionValues.Compare(left, right) is > 0,
            ">=" => ConditionValues.Compare(left, right) is >= 0,
            "contains" => ConditionValues.Contains(left, right),
            "notcontains" => !ConditionValues.Contains(left, right),
            "anyof" => ConditionValues.Items(right).Any(r => ConditionValues.Items(left).Any(l => ConditionValues.AreEqual(l, r))),
            "allof" => ConditionValues.Items(right).All(r => ConditionValues.Items(left).Any(l => ConditionValues.AreEqual(l, r))),
            "noneof" => !ConditionValues.Items(right).Any(r => ConditionValues.Items(left).Any(l => ConditionValues.AreEqual(l, r))),
            _ => throw new InvalidOperationException($"Unknown operator {Operator}."),
        };
    }
}

/// <summary>How SurveyJS compares answers: numbers by value, text without case, lists as sets.</summary>
internal static class ConditionValues
{
    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0,
        string s => s.Length > 0 && !s.Equals("false", StringComparison.OrdinalIgnoreCase),
        _ => !IsEmpty(value),
    };

    public static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        System.Collections.ICollection c => c.Count == 0,
        _ => false,
    };

    public static IEnumerable<object?> Items(object? value) => value switch
    {
        null => [],
        string => [value],
        IReadOnlyDictionary<string, string> cells => cells.Values,
        System.Collections.IEnumerable list => list.Cast<object?>(),
        _ => [value],
    };

    public static bool AreEqual(object? left, object? right)
    {
        if (IsEmpty(left) || IsEmpty(right))
        {
            return IsEmpty(left) && IsEmpty(right);
        }

        if (left is not string && left is System.Collections.IEnumerable || right is not string && right is System.Collections.IEnumerable)
        {
            var l = Items(left).ToList();
            var r = Items(right).ToList();
            return l.Count == r.Count && l.All(x => r.Any(y => AreEqual(x, y)));
        }

        if (Number(left) is { } a && Number(right) is { } b)
        {
            return a == b;
        }

        return string.Equals(Text(left), Text(right), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Ordering of two single values; null when either is missing (then every comparison is false).</summary>
    public static int? Compare(object? left, object? right)
    {
        if (IsEmpty(left) || IsEmpty(right))
        {
            return null;
        }

        if (Number(left) is { } a && Number(right) is { } b)
        {
            return a.CompareTo(b);
        }

        return string.Compare(Text(left), Text(right), StringComparison.OrdinalIgnoreCase);
    }

    public static bool Contains(object? left, object? right)
    {
        if (left is string text)
        {
            return Items(right).All(r => text.Contains(Text(r), StringComparison.OrdinalIgnoreCase));
        }

        var items = Items(left).ToList();
        return !IsEmpty(right) && Items(right).All(r => items.Any(l => AreEqual(l, r)));
    }

    private static double? Number(object? value) => value switch
    {
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
