using System.Text.Json.Serialization;
using Dapper;
using OpenCem.Interactions;
using OpenCem.Storage;
using OpenCem.Text.Insights;

namespace OpenCem.Text.Experience;

/// <summary>How one group's comments spread over one module: how many speak to it, their share of the group, their mean sentiment.</summary>
public sealed record ModuleShare(
    string Module, IReadOnlyDictionary<string, string> Names, long Count, double Share, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? MeanSentiment);

/// <summary>One group (a touchpoint, channel, survey, or everything) and its balance of the five modules.</summary>
public sealed record ExperienceGroup(string Key, string Name, long Comments, IReadOnlyList<ModuleShare> Modules);

/// <summary>The answer of <c>GET /api/v1/text/experiential</c>.</summary>
public sealed record ExperientialView(
    string By, DateTimeOffset? From, DateTimeOffset? To, long? SurveyId, string? Touchpoint, string Kind, long Comments, IReadOnlyList<ExperienceGroup> Groups);

/// <summary>What the balance is grouped by.</summary>
public static class ExperienceGrouping
{
    public const string Touchpoint = "touchpoint";
    public const string Channel = "channel";
    public const string Survey = "survey";
    public const string None = "none";

    public static readonly IReadOnlyList<string> All = [Touchpoint, Channel, Survey, None];
}

/// <summary>
/// Reads the balance of the experiential modules from <c>text_experience_daily</c> only: the cost is days × surveys ×
/// touchpoints × modules of the period, never the number of comments. Groups are formed in memory from the
/// per-(survey, touchpoint) sums, so a channel is the sum of its touchpoints.
/// </summary>
public sealed class ExperientialBalance(Database database, CatalogueStore catalogue)
{
    public async Task<ExperientialView> GetAsync(long workspaceId, string by, ThemeFilter filter, string? touchpointKey, CancellationToken cancellationToken = default)
    {
        List<Row> rows;
        List<(long Id, string Name)> surveys;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            rows = (await connection.QueryAsync<Row>(
                $"""
                SELECT survey_id AS SurveyId, touchpoint_id AS TouchpointId, module AS Module, sum(items) AS Items, sum(sentiment_sum) AS SentimentSum
                FROM text_experience_daily WHERE {ExperienceFilter.Where(filter, "text_experience_daily")}
                GROUP BY survey_id, touchpoint_id, module
                """,
                ExperienceFilter.Arguments(workspaceId, filter))).ToList();
            surveys = by == ExperienceGrouping.Survey
                ? (await connection.QueryAsync<(long, string)>("SELECT id, name FROM surveys WHERE workspace_id = @workspaceId", new { workspaceId })).ToList()
                : [];
        }

        var touchpoints = (await catalogue.ListTouchpointsAsync(workspaceId, cancellationToken)).ToDictionary(t => t.Id);
        var surveyNames = surveys.ToDictionary(s => s.Id, s => s.Name);
        (string Key, string Name) GroupOf(Row row) => by switch
        {
            ExperienceGrouping.Touchpoint => touchpoints.TryGetValue(row.TouchpointId, out var t) ? (t.Key, t.Name) : ("", "(no touchpoint)"),
            ExperienceGrouping.Channel => touchpoints.TryGetValue(row.TouchpointId, out var t) ? (t.Channel, t.Channel) : ("", "(no channel)"),
            ExperienceGrouping.Survey => row.SurveyId == 0 ? ("", "(signals)")
                : (row.SurveyId.ToString(System.Globalization.CultureInfo.InvariantCulture), surveyNames.GetValueOrDefault(row.SurveyId, "(deleted survey)")),
            _ => ("all", "All comments"),
        };

        var groups = rows.GroupBy(GroupOf)
            .Select(g => Group(g.Key.Key, g.Key.Name, g.GroupBy(r => r.Module).ToDictionary(m => m.Key, m => (m.Sum(r => r.Items), m.Sum(r => r.SentimentSum)))))
            .Where(g => g.Comments > 0)
            .OrderByDescending(g => g.Comments).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new ExperientialView(by, filter.From, filter.To, filter.SurveyId, touchpointKey, filter.Kind ?? "all", groups.Sum(g => g.Comments), groups);
    }

    /// <summary>A group from its per-module sums; the module "" holds all its comments (pure, tested directly).</summary>
    public static ExperienceGroup Group(string key, string name, IReadOnlyDictionary<string, (long Items, double SentimentSum)> sums)
    {
        var all = sums.GetValueOrDefault("").Items;
        var modules = ExperienceModules.All.Select(module =>
        {
            var (items, sum) = sums.GetValueOrDefault(module);
            return new ModuleShare(module, ExperienceModules.Names[module], items, all == 0 ? 0 : Math.Round((double)items / all, 4),
                items == 0 ? null : Math.Round(sum / items, 4));
        }).ToList();
        return new ExperienceGroup(key, name, all, modules);
    }

    private sealed class Row
    {
        public long SurveyId { get; set; }

        public long TouchpointId { get; set; }

        public string Module { get; set; } = "";

        public long Items { get; set; }

        public double SentimentSum { get; set; }
    }
}
