using Dapper;
using OpenCem.Storage;
using OpenCem.Text.Pipeline;

namespace OpenCem.Text.Insights;

/// <summary>Which comments to list: the theme filter's period, survey and touchpoint, optionally one theme and a text to find.</summary>
public sealed record CommentQuery(ThemeFilter Filter, string? Theme, string? Text, int Page, int PageSize);

/// <summary>An analysed survey comment: its text (unmasked: the caller masks), when, its scores, sentiment and themes.</summary>
public sealed record CommentItem(
    long ResponseId, long SurveyId, long? CustomerId, string Comment, DateTimeOffset SubmittedAt, long? Nps, long? Csat, string Language, double Sentiment, string Label,
    IReadOnlyList<ThemeMention> Themes);

/// <summary>One page of comments, newest first; <see cref="HasMore"/> says whether a next page exists (no total is counted).</summary>
public sealed record CommentPage(IReadOnlyList<CommentItem> Comments, bool HasMore);

/// <summary>
/// Lists analysed survey comments, newest first, by walking the analyses' primary key backwards and stopping after
/// one page (plus one row to know whether there is more), so a page costs about the same however many comments exist;
/// a text search or a rare theme reads further back until the page is full.
/// </summary>
public sealed class CommentSearch(Database database)
{
    public const int MaxPageSize = 50;
    public const int MaxTextLength = 100;

    public async Task<CommentPage> FindAsync(long workspaceId, CommentQuery query, CancellationToken cancellationToken = default)
    {
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var offset = (long)(Math.Max(query.Page, 1) - 1) * size;
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text.Trim();
        text = text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text;
        var filter = query.Filter;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT a.item_id AS ResponseId, r.survey_id AS SurveyId, r.customer_id AS CustomerId, r.comment AS Comment, r.submitted_at AS SubmittedAt,
                   r.nps AS Nps, r.csat AS Csat, a.language AS Language, a.sentiment AS Sentiment, a.label AS Label, a.themes AS Themes
            FROM text_analyses a
            JOIN survey_responses r ON r.id = a.item_id AND r.workspace_id = a.workspace_id
            WHERE a.workspace_id = @workspaceId AND a.item_kind = @kind AND a.day >= @from AND a.day < @to AND r.comment IS NOT NULL
                {(filter.SurveyId is null ? "" : "AND a.survey_id = @SurveyId")}
                {(filter.TouchpointId is null ? "" : "AND a.touchpoint_id = @TouchpointId")}
                {(query.Theme is null ? "" : "AND EXISTS (SELECT 1 FROM text_theme_mentions m WHERE m.workspace_id = a.workspace_id AND m.item_kind = a.item_kind AND m.item_id = a.item_id AND m.theme_key = @theme)")}
                {(text is null ? "" : "AND lower(r.comment) LIKE @pattern ESCAPE '\\'")}
            ORDER BY a.item_id DESC
            LIMIT @limit OFFSET @offset
            """,
            new
            {
                workspaceId,
                kind = TextItemKind.Response,
                from = filter.From?.ToUnixTimeMilliseconds() ?? long.MinValue,
                to = filter.To?.ToUnixTimeMilliseconds() ?? long.MaxValue,
                filter.SurveyId,
                filter.TouchpointId,
                theme = query.Theme,
                pattern = text is null ? null : "%" + Escape(text.ToLowerInvariant()) + "%",
                limit = size + 1,
                offset,
            },
            cancellationToken: cancellationToken))).AsList();
        var comments = rows.Take(size).Select(r => new CommentItem(
            r.ResponseId, r.SurveyId, r.CustomerId, r.Comment ?? "", DateTimeOffset.FromUnixTimeMilliseconds(r.SubmittedAt), r.Nps, r.Csat, r.Language, r.Sentiment, r.Label,
            System.Text.Json.JsonSerializer.Deserialize<List<ThemeMention>>(r.Themes, TextAnalysisWriter.Json) ?? [])).ToList();
        return new CommentPage(comments, rows.Count > size);
    }

    /// <summary>A LIKE pattern's literal text: the wildcards and the escape character written as themselves.</summary>
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private sealed class Row
    {
        public long ResponseId { get; set; }

        public long SurveyId { get; set; }

        public long? CustomerId { get; set; }

        public string? Comment { get; set; }

        public long SubmittedAt { get; set; }

        public long? Nps { get; set; }

        public long? Csat { get; set; }

        public string Language { get; set; } = "";

        public double Sentiment { get; set; }

        public string Label { get; set; } = "";

        public string Themes { get; set; } = "[]";
    }
}
