using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Analytics.Drivers;

/// <summary>One <c>filter=FIELD:VALUE</c> of an analytics request.</summary>
public sealed record ResponseFilter(string Field, string Value);

/// <summary>
/// The <c>filter=FIELD:VALUE</c> parameters the analytics endpoints share, as SQL over <c>survey_responses r</c>.
/// Fields: <c>touchpoint</c> (key), <c>channel</c>, <c>language</c>, <c>source</c>, <c>stage</c> and <c>journey</c>
/// (of the response's touchpoint), and <c>trait.NAME</c> (the respondent's profile trait). Several values of one field
/// match any of them; different fields must all match.
/// </summary>
public static partial class ResponseFilters
{
    public const string Parameter = "filter";

    private static readonly string[] Fields = ["touchpoint", "channel", "language", "source", "stage", "journey"];

    /// <summary>The filters, or the problem with the first bad one.</summary>
    public static (IReadOnlyList<ResponseFilter> Filters, string? Problem) Parse(IEnumerable<string?> values)
    {
        var filters = new List<ResponseFilter>();
        foreach (var raw in values)
        {
            if (!FilterText.TrySplit(raw, out var field, out var value))
            {
                return ([], $"'{raw}' is not FIELD:VALUE (for example channel:web or trait.plan:broadband).");
            }

            var known = Fields.Contains(field, StringComparer.Ordinal)
                || (field.StartsWith("trait.", StringComparison.Ordinal) && TraitName().IsMatch(field["trait.".Length..]));
            if (!known)
            {
                return ([], $"Unknown filter field '{field}'; use one of {string.Join(", ", Fields)} or trait.NAME.");
            }

            filters.Add(new ResponseFilter(field, value));
        }

        return (filters, null);
    }

    /// <summary>The conditions (each starting with AND) for the filters, their parameters added to <paramref name="args"/>.</summary>
    public static string Sql(IReadOnlyList<ResponseFilter> filters, DatabaseKind kind, DynamicParameters args)
    {
        var sql = new StringBuilder();
        var number = 0;
        foreach (var group in filters.GroupBy(f => f.Field, StringComparer.Ordinal))
        {
            var alternatives = new List<string>();
            foreach (var filter in group)
            {
                var name = $"f{number++}";
                args.Add(name, filter.Value);
                alternatives.Add(Condition(filter.Field, name, kind, args));
            }

            sql.Append(" AND (").Append(string.Join(" OR ", alternatives)).Append(')');
        }

        return sql.ToString();
    }

    private static string Condition(string field, string parameter, DatabaseKind kind, DynamicParameters args)
    {
        switch (field)
        {
            case "channel":
            case "language":
            case "source":
                return $"r.{field} = @{parameter}";
            case "touchpoint":
                return $"r.touchpoint_id IN (SELECT t.id FROM touchpoints t WHERE t.workspace_id = @ws AND t.key = @{parameter})";
            case "stage":
                return $"r.touchpoint_id IN (SELECT t.id FROM touchpoints t WHERE t.workspace_id = @ws AND t.stage = @{parameter})";
            case "journey":
                return $"r.touchpoint_id IN (SELECT t.id FROM touchpoints t WHERE t.workspace_id = @ws AND t.journey_key = @{parameter})";
            default:
                var trait = field["trait.".Length..];
                args.Add(parameter + "n", kind == DatabaseKind.Postgres ? trait : $"$.\"{trait}\"");
                var value = kind == DatabaseKind.Postgres ? $"(c.traits::jsonb ->> @{parameter}n)" : $"CAST(json_extract(c.traits, @{parameter}n) AS TEXT)";
                return $"r.customer_id IN (SELECT c.id FROM customers c WHERE c.workspace_id = @ws AND c.traits IS NOT NULL AND {value} = @{parameter})";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex TraitName();
}
