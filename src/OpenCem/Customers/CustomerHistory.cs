using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Customers;

/// <summary>What kind of thing happened to a customer; the order breaks ties between things at the same instant.</summary>
public enum HistoryKind
{
    Interaction,
    Purchase,
    Response,
    Signal,
    Case,
}

/// <summary>
/// One thing in a customer's history. <paramref name="Name"/> is the event, the survey, the signal's source, the
/// case's title or the purchase's source; <paramref name="Status"/> the outcome or the case status;
/// <paramref name="Text"/> the comment or the signal's text (personal data: mask before showing); <paramref name="Team"/>
/// the team of a case.
/// </summary>
public sealed record HistoryEntry(
    HistoryKind Kind, long Id, DateTimeOffset At, string? Name, long? TouchpointId, string? Channel, string? Status,
    int? Nps, int? Csat, int? Ces, double? Rating, double? Amount, string? Text, string? Team = null);

public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Items, string? NextCursor);

/// <summary>
/// The customer 360's timeline: interactions, purchases, survey responses with their comments, signals and cases of one
/// profile, newest first, keyset-paged across the five tables. Each page reads at most limit + 1 rows per table on the
/// customer's index, so page 100 costs what page 1 costs and nothing grows with the workspace's history.
/// </summary>
public sealed class CustomerHistory(Database database)
{
    public const int MaxLimit = 200;

    public async Task<HistoryPage> PageAsync(long workspaceId, long customerId, string? cursor, int limit, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        var after = cursor is not null && TryDecode(cursor, out var position) ? position : ((long At, int Kind, long Id)?)null;
        await using var connection = await database.OpenAsync(cancellationToken);
        var entries = new List<HistoryEntry>();
        foreach (var (kind, sql) in Sources)
        {
            var (condition, args) = Keyset(kind, after);
            args.Add("ws", workspaceId);
            args.Add("customer", customerId);
            args.Add("take", limit + 1);
            var rows = await connection.QueryAsync<HistoryRow>(new CommandDefinition(
                sql.Replace("{0}", condition, StringComparison.Ordinal), args, cancellationToken: cancellationToken));
            entries.AddRange(rows.Select(r => r.ToEntry(kind)));
        }

        var page = entries.OrderByDescending(e => e.At).ThenByDescending(e => (int)e.Kind).ThenByDescending(e => e.Id).Take(limit + 1).ToList();
        string? next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(limit);
            next = Encode(page[^1]);
        }

        return new HistoryPage(page, next);
    }

    /// <summary>The customer's tags (set by rules), alphabetically.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(long workspaceId, long customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT tag FROM customer_tags WHERE workspace_id = @workspaceId AND customer_id = @customerId ORDER BY tag",
            new { workspaceId, customerId }, cancellationToken: cancellationToken))).ToList();
    }

    // {0} is the keyset condition on the table's time column "at" and id; every query runs on a (workspace, customer, time) index.
    private static readonly (HistoryKind Kind, string Sql)[] Sources =
    [
        (HistoryKind.Interaction, """
            SELECT id AS Id, occurred_at AS At, COALESCE(event, type) AS Name, touchpoint_id AS TouchpointId, channel AS Channel, outcome AS Status,
                   revenue AS Amount
            FROM interactions WHERE workspace_id = @ws AND customer_id = @customer{0} ORDER BY occurred_at DESC, id DESC LIMIT @take
            """),
        (HistoryKind.Purchase, """
            SELECT id AS Id, occurred_at AS At, source AS Name, amount AS Amount
            FROM transactions WHERE workspace_id = @ws AND customer_id = @customer{0} ORDER BY occurred_at DESC, id DESC LIMIT @take
            """),
        (HistoryKind.Response, """
            SELECT r.id AS Id, r.submitted_at AS At, s.name AS Name, r.touchpoint_id AS TouchpointId, r.channel AS Channel, r.status AS Status,
                   r.nps AS Nps, r.csat AS Csat, r.ces AS Ces, r.comment AS Text
            FROM survey_responses r LEFT JOIN surveys s ON s.id = r.survey_id
            WHERE r.workspace_id = @ws AND r.customer_id = @customer{0} ORDER BY r.submitted_at DESC, r.id DESC LIMIT @take
            """),
        (HistoryKind.Signal, """
            SELECT id AS Id, occurred_at AS At, source AS Name, touchpoint_id AS TouchpointId, rating AS Rating, text AS Text
            FROM signals WHERE workspace_id = @ws AND customer_id = @customer{0} ORDER BY occurred_at DESC, id DESC LIMIT @take
            """),
        (HistoryKind.Case, """
            SELECT id AS Id, created_at AS At, title AS Name, touchpoint_id AS TouchpointId, status AS Status, team AS Team
            FROM cases WHERE workspace_id = @ws AND customer_id = @customer{0} ORDER BY created_at DESC, id DESC LIMIT @take
            """),
    ];

    private static string TimeColumn(HistoryKind kind) => kind switch
    {
        HistoryKind.Response => "r.submitted_at",
        HistoryKind.Case => "created_at",
        _ => "occurred_at",
    };

    private static string IdColumn(HistoryKind kind) => kind == HistoryKind.Response ? "r.id" : "id";

    /// <summary>Rows after the cursor in the order (time, kind, id) descending; the kind is constant per table.</summary>
    private static (string Condition, DynamicParameters Args) Keyset(HistoryKind kind, (long At, int Kind, long Id)? after)
    {
        var args = new DynamicParameters();
        if (after is not { } a)
        {
            return ("", args);
        }

        args.Add("afterAt", a.At);
        args.Add("afterId", a.Id);
        var time = TimeColumn(kind);
        var condition = (int)kind < a.Kind ? $" AND {time} <= @afterAt"
            : (int)kind > a.Kind ? $" AND {time} < @afterAt"
            : $" AND ({time} < @afterAt OR ({time} = @afterAt AND {IdColumn(kind)} < @afterId))";
        return (condition, args);
    }

    private static string Encode(HistoryEntry entry) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{entry.At.ToUnixTimeMilliseconds()}:{(int)entry.Kind}:{entry.Id}")));

    public static bool TryDecode(string cursor, out (long At, int Kind, long Id) position)
    {
        position = default;
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
            return parts.Length == 3
                && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out position.At)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out position.Kind)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out position.Id);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class HistoryRow
    {
        public long Id { get; set; }

        public long At { get; set; }

        public string? Name { get; set; }

        public long? TouchpointId { get; set; }

        public string? Channel { get; set; }

        public string? Status { get; set; }

        public long? Nps { get; set; }

        public long? Csat { get; set; }

        public long? Ces { get; set; }

        public double? Rating { get; set; }

        public double? Amount { get; set; }

        public string? Text { get; set; }

        public string? Team { get; set; }

        public HistoryEntry ToEntry(HistoryKind kind) => new(
            kind, Id, DateTimeOffset.FromUnixTimeMilliseconds(At), Name, TouchpointId, Channel, Status, (int?)Nps, (int?)Csat, (int?)Ces, Rating,
            Amount, Text, Team);
    }
}
