namespace OpenCem.Feedback.Ideas;

/// <summary>An idea as the API and the board show it; <see cref="CustomerId"/> links the author's profile.</summary>
public sealed record IdeaView(
    long Id, long? CustomerId, string Title, string Body, string? Language, string Status, string Moderation,
    IReadOnlyList<string> SpamReasons, string? Answer, IReadOnlyList<string> Themes, double? Sentiment, long? CaseId, long Votes,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset StatusAt);

public sealed record IdeaCommentView(
    long Id, long IdeaId, long? CustomerId, string? Staff, string Body, string Moderation, IReadOnlyList<string> SpamReasons, DateTimeOffset CreatedAt);

/// <summary>Which ideas a list shows: status, theme, moderation state, order (votes or recent), page.</summary>
public sealed record IdeaFilter(string? Status = null, string? Theme = null, string? Moderation = null, string Sort = "votes", int Limit = 50, int Offset = 0);

/// <summary>A new idea: on behalf of a customer (or by staff when <see cref="CustomerId"/> is null).</summary>
public sealed record IdeaDraft(long? CustomerId, string Title, string Body, string? Language = null, long? CaseId = null);

/// <summary>Where a write ended: done, or the field and reason it was refused for.</summary>
public sealed record IdeaOutcome<T>(T? Value, int Status = 200, string? Field = null, string? Error = null, IReadOnlyList<string>? Allowed = null)
{
    public bool Ok => Error is null;

    public static IdeaOutcome<T> Fail(int status, string field, string error, IReadOnlyList<string>? allowed = null) => new(default, status, field, error, allowed);
}

/// <summary>What one vote call did: counted, or already counted before (idempotent), and the idea's count after it.</summary>
public sealed record VoteResult(long IdeaId, long CustomerId, bool Voted, bool Changed, long Votes);

/// <summary>A status move: the idea after it, and who was told (shipped ideas only) or why not.</summary>
public sealed record StatusChangeResult(IdeaView Idea, IReadOnlyList<long> Notified, IReadOnlyList<SkippedRecipient> Skipped);

public sealed record SkippedRecipient(long CustomerId, string Reason);

/// <summary>Row shapes read by Dapper (setters: integer widths differ between SQLite and PostgreSQL).</summary>
internal sealed class IdeaRow
{
    public long Id { get; set; }

    public long? CustomerId { get; set; }

    public string Title { get; set; } = "";

    public string Body { get; set; } = "";

    public string? Language { get; set; }

    public string Status { get; set; } = "";

    public string Moderation { get; set; } = "";

    public string? SpamReasons { get; set; }

    public string? Answer { get; set; }

    public string Themes { get; set; } = "";

    public double? Sentiment { get; set; }

    public long? CaseId { get; set; }

    public long Votes { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public long StatusAt { get; set; }

    public const string Columns =
        "id AS Id, customer_id AS CustomerId, title AS Title, body AS Body, language AS Language, status AS Status, moderation AS Moderation, " +
        "spam_reasons AS SpamReasons, answer AS Answer, themes AS Themes, sentiment AS Sentiment, case_id AS CaseId, votes AS Votes, " +
        "created_at AS CreatedAt, updated_at AS UpdatedAt, status_at AS StatusAt";

    public IdeaView ToView() => new(
        Id, CustomerId, Title, Body, Language, Status, Moderation, IdeaText.Split(SpamReasons, '|'), Answer, IdeaText.Split(Themes, ','), Sentiment, CaseId, Votes,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt), DateTimeOffset.FromUnixTimeMilliseconds(StatusAt));
}

internal sealed class IdeaCommentRow
{
    public long Id { get; set; }

    public long IdeaId { get; set; }

    public long? CustomerId { get; set; }

    public string? Staff { get; set; }

    public string Body { get; set; } = "";

    public string Moderation { get; set; } = "";

    public string? SpamReasons { get; set; }

    public long CreatedAt { get; set; }

    public const string Columns =
        "id AS Id, idea_id AS IdeaId, customer_id AS CustomerId, staff AS Staff, body AS Body, moderation AS Moderation, spam_reasons AS SpamReasons, created_at AS CreatedAt";

    public IdeaCommentView ToView() =>
        new(Id, IdeaId, CustomerId, Staff, Body, Moderation, IdeaText.Split(SpamReasons, '|'), DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
}

/// <summary>The lists kept in one text column: themes as <c>,a,b,</c> (so <c>LIKE '%,a,%'</c> finds one), spam reasons with <c>|</c>.</summary>
internal static class IdeaText
{
    public static IReadOnlyList<string> Split(string? value, char separator) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(separator, StringSplitOptions.RemoveEmptyEntries);

    public static string Themes(IEnumerable<string> keys)
    {
        var list = keys.Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "" : "," + string.Join(',', list) + ",";
    }

    public static string? Reasons(IReadOnlyList<string> reasons) => reasons.Count == 0 ? null : string.Join('|', reasons);
}
