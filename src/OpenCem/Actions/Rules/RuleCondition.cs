using Acornima;
using Acornima.Ast;

namespace OpenCem.Actions.Rules;

/// <summary>An error in a condition with where it is (line and column from 1, offset from 0).</summary>
public sealed record ConditionError(string Message, int Line, int Column, int Offset)
{
    public override string ToString() => $"{Message} (line {Line}, column {Column})";
}

/// <summary>
/// A condition parsed by Acornima (the JavaScript parser Jint runs on) and checked against <see cref="RuleVocabulary"/>:
/// every free name is a root or a JavaScript global, every <c>root.field</c> a known field, every <c>count(...)</c> an
/// object literal of known filters with literal values. Pure; the counts it finds are computed before evaluation.
/// </summary>
public sealed class RuleCondition
{
    private RuleCondition(string source, string script, IReadOnlyList<CountSpec> counts, IReadOnlySet<string> uses)
    {
        Source = source;
        Script = script;
        Counts = counts;
        Uses = uses;
    }

    public string Source { get; }

    /// <summary>What the evaluator runs: <see cref="Source"/> with the root <c>case</c> written <see cref="RuleVocabulary.CaseScriptName"/>.</summary>
    public string Script { get; }

    public IReadOnlyList<CountSpec> Counts { get; }

    /// <summary>The <c>root.field</c> names the condition reads (<c>root.*</c> when it reads a root whole).</summary>
    public IReadOnlySet<string> Uses { get; }

    /// <summary>
    /// Whether the condition is about a customer (reads <c>customer.*</c> or counts the customer's own interactions):
    /// a schedule rule with such a condition runs once per customer it selects, not once per occurrence.
    /// </summary>
    public bool SelectsCustomers => Uses.Any(u => u.StartsWith("customer.", StringComparison.Ordinal)) || Counts.Any(c => !c.AllCustomers);

    /// <summary>The parsed condition, or the first error with its position.</summary>
    public static (RuleCondition? Condition, ConditionError? Error) Parse(string source)
    {
        // The parser itself says where 'case' cannot stand (it is a reserved word there): exactly those places are
        // renamed, one at a time, so 'case' inside a text, a template's text, a regular expression or as a property
        // name ({case: 1}, x.case) is left as written. The new name is as long, so positions stay the author's.
        var script = source;
        var renamed = new HashSet<int>();
        Expression expression;
        while (true)
        {
            try
            {
                expression = new Parser().ParseExpression(script);
                break;
            }
            catch (ParseErrorException exception)
            {
                var at = exception.Error?.Index ?? -1;
                if (IsCaseWordAt(script, at) && renamed.Add(at))
                {
                    script = string.Concat(script.AsSpan(0, at), RuleVocabulary.CaseScriptName, script.AsSpan(at + 4));
                    continue;
                }

                return (null, new ConditionError(exception.Description ?? exception.Message, exception.LineNumber, exception.Column + 1, at));
            }
        }

        var check = new Check(renamed);
        check.Visit(expression);
        return check.Error is { } error ? (null, error) : (new RuleCondition(source, script, check.Counts.DistinctBy(c => c.Key).ToList(), check.Uses), null);
    }

    /// <summary>Whether the word <c>case</c> (not a part of a longer name) starts at <paramref name="at"/>.</summary>
    private static bool IsCaseWordAt(string text, int at) =>
        at >= 0 && at + 4 <= text.Length && string.CompareOrdinal(text, at, "case", 0, 4) == 0
        && (at == 0 || !IsNamePart(text[at - 1])) && (at + 4 == text.Length || !IsNamePart(text[at + 4]));

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private sealed class Check(IReadOnlySet<int> renamed)
    {
        private readonly HashSet<string> _locals = new(StringComparer.Ordinal);

        /// <summary>The name as the author wrote it: a renamed 'case' is the root case; a 'ca$e' the author wrote is just an unknown name.</summary>
        private string NameOf(Identifier identifier) =>
            identifier.Name == RuleVocabulary.CaseScriptName && renamed.Contains(identifier.Start) ? "case" : identifier.Name;

        public List<CountSpec> Counts { get; } = [];

        public HashSet<string> Uses { get; } = new(StringComparer.Ordinal);

        public ConditionError? Error { get; private set; }

        public void Visit(Node? node)
        {
            if (node is null || Error is not null)
            {
                return;
            }

            switch (node)
            {
                case Identifier identifier:
                    var name = NameOf(identifier);
                    if (!RuleVocabulary.Roots.ContainsKey(name) && !RuleVocabulary.Globals.Contains(name) && !_locals.Contains(name))
                    {
                        Fail(node, name == RuleVocabulary.CountFunction
                            ? "count is a function: count({touchpoint: '...', within: '30m'})"
                            : $"unknown name '{name}'; use one of {string.Join(", ", RuleVocabulary.Roots.Keys)}");
                    }
                    else if (RuleVocabulary.Roots.ContainsKey(name))
                    {
                        Uses.Add(name + ".*");
                    }

                    return;
                case MemberExpression member:
                    VisitMember(member);
                    return;
                case CallExpression { Callee: Identifier { Name: RuleVocabulary.CountFunction } } call:
                    VisitCount(call);
                    return;
                case ArrowFunctionExpression arrow:
                    foreach (var parameter in arrow.Params.OfType<Identifier>())
                    {
                        _locals.Add(parameter.Name);
                    }

                    Visit(arrow.Body);
                    return;
                case ObjectExpression objectExpression:
                    foreach (var property in objectExpression.Properties)
                    {
                        if (property is Property { Computed: true } computed)
                        {
                            Visit(computed.Key);
                        }

                        Visit(property is Property p ? p.Value : property);
                    }

                    return;
                case FunctionExpression or FunctionDeclaration or AssignmentExpression or UpdateExpression or NewExpression:
                    Fail(node, "a condition is an expression over the event and the customer: no assignments, functions or 'new'");
                    return;
                default:
                    foreach (var child in node.ChildNodes)
                    {
                        Visit(child);
                    }

                    return;
            }
        }

        private void VisitMember(MemberExpression member)
        {
            if (member.Object is Identifier root && NameOf(root) is var rootName && RuleVocabulary.Roots.TryGetValue(rootName, out var fields))
            {
                var name = member.Computed ? (member.Property as Literal)?.Value as string : (member.Property as Identifier)?.Name;
                if (name is null)
                {
                    Fail(member.Property, $"write {rootName}.field: fields of '{rootName}' are named, not computed");
                }
                else if (!fields.Contains(name))
                {
                    Fail(member.Property, $"unknown field '{rootName}.{name}'; '{rootName}' has {string.Join(", ", fields)}");
                }
                else
                {
                    Uses.Add($"{rootName}.{name}");
                }

                return;
            }

            Visit(member.Object);
            if (member.Computed)
            {
                Visit(member.Property);
            }
        }

        private void VisitCount(CallExpression call)
        {
            if (call.Arguments is not [ObjectExpression filters])
            {
                Fail(call, "count takes one object of filters, e.g. count({touchpoint: 'router-setup', outcome: 'failure', within: '30m'})");
                return;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in filters.Properties)
            {
                var name = item is Property { Computed: false } named ? (named.Key as Identifier)?.Name ?? (named.Key as Literal)?.Value as string : null;
                if (item is not Property { Value: Literal literal } property || name is null)
                {
                    Fail(item, "count's filters are written name: 'value'");
                    return;
                }

                if (!RuleVocabulary.CountFilters.Contains(name))
                {
                    Fail(property.Key, $"unknown count filter '{name}'; use {string.Join(", ", RuleVocabulary.CountFilters)}");
                    return;
                }

                if (literal.Value is not string value)
                {
                    Fail(literal, $"count's '{name}' is a text in quotes");
                    return;
                }

                values[name] = value;
            }

            if (!values.TryGetValue("within", out var within) || CountSpec.ParseWindow(within) is not { } window)
            {
                Fail(call, "count needs a window: within: '30m' (a number with s, m, h or d)");
                return;
            }

            var customers = values.GetValueOrDefault("customers") ?? "this";
            if (!RuleVocabulary.CountCustomers.Contains(customers))
            {
                Fail(call, "count's customers is 'this' (the rule's customer, the default) or 'all' (everyone's interactions)");
                return;
            }

            Counts.Add(new CountSpec(
                values.GetValueOrDefault("touchpoint"), values.GetValueOrDefault("outcome"), values.GetValueOrDefault("event"),
                values.GetValueOrDefault("channel"), values.GetValueOrDefault("stage"), values.GetValueOrDefault("journey"), window, customers == "all"));
        }

        private void Fail(Node node, string message) =>
            Error ??= new ConditionError(message, node.Location.Start.Line, node.Location.Start.Column + 1, node.Start);
    }
}
