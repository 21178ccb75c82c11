using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Feedback.Ideas;
using OpenCem.Storage;
using OpenCem.Text.Pipeline;
using OpenCem.Text.Themes;
using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

/// <summary>
/// The demo's ideas board (truth 15): forty ideas in the authors' languages with votes, comments, staff answers and
/// statuses over the last twenty months, two spam posts held for moderation, and <see cref="Truth.IdeaLeadUsers"/>
/// planted lead users who wrote shipped or planned ideas and backed other ideas before they were planned. Everyone
/// else votes at random times, mostly once an idea is already popular or planned. Written with plain inserts in one
/// transaction; themes and sentiment come from the workspace's text analysis like any idea's.
/// </summary>
public static class DemoIdeas
{
    /// <summary>How many customers (lowest ids first) the board draws its authors and voters from.</summary>
    public const int Pool = 3000;

    private const long Day = 86_400_000;

    /// <summary>The customers the board's people are drawn from, in id order.</summary>
    public static async Task<List<(long Id, string? Language)>> PoolAsync(Database database, long workspaceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PoolRow>(new CommandDefinition(
            "SELECT id AS Id, traits AS Traits FROM customers WHERE workspace_id = @workspaceId AND erased_at IS NULL ORDER BY id LIMIT @Pool",
            new { workspaceId, Pool }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.Id, Language(r.Traits)))];
    }

    /// <summary>The planted lead users: evenly spread through the pool.</summary>
    public static IReadOnlyList<long> LeadUsers(IReadOnlyList<(long Id, string? Language)> pool) =>
        pool.Count < 4 * Truth.IdeaLeadUsers ? [] : [.. Enumerable.Range(1, Truth.IdeaLeadUsers).Select(i => pool[i * pool.Count / (Truth.IdeaLeadUsers + 1)].Id)];

    public static async Task LoadAsync(Database database, TimeProvider time, long workspaceId, DemoOptions options, CancellationToken cancellationToken)
    {
        var pool = await PoolAsync(database, workspaceId, cancellationToken);
        var leads = LeadUsers(pool);
        if (leads.Count == 0)
        {
            return;
        }

        var rng = new Random(options.Seed ^ 0x1DEA_B0A2);
        var asOf = options.ResolveAsOf().ToUnixTimeMilliseconds();
        var analyzer = (await new WorkspaceAnalyzers(database, new TaxonomyStore(database, time)).GetAsync(workspaceId, cancellationToken)).Analyzer;
        var others = pool.Where(p => !leads.Contains(p.Id)).ToList();
        var languages = pool.ToDictionary(p => p.Id, p => p.Language);
        var topics = DemoIdeaTopics.All;

        // Ideas 0-11 are the lead users' own (two each: even ones shipped, odd ones planned); 12-17 shipped, 18-23 planned,
        // 24-29 declined, the rest under review, written by other customers.
        var ideas = new List<DemoIdea>();
        for (var i = 0; i < topics.Count; i++)
        {
            var status = i < 2 * Truth.IdeaLeadUsers ? (i % 2 == 0 ? IdeaStatus.Done : IdeaStatus.Planned)
                : i < 18 ? IdeaStatus.Done : i < 24 ? IdeaStatus.Planned : i < 30 ? IdeaStatus.Declined : IdeaStatus.UnderReview;
            var author = i < 2 * Truth.IdeaLeadUsers ? leads[i / 2] : others[rng.Next(others.Count)].Id;
            var (from, to) = status switch
            {
                IdeaStatus.Done => (600, 330),
                IdeaStatus.Planned => (420, 150),
                IdeaStatus.Declined => (500, 120),
                _ => (300, 5),
            };
            var created = asOf - (rng.Next(to, from) * Day) - rng.Next(0, (int)Day);
            var moved = status == IdeaStatus.UnderReview ? (long?)null : created + (rng.Next(20, 90) * Day);
            var done = status == IdeaStatus.Done ? moved + (rng.Next(30, 120) * Day) : null;
            ideas.Add(new DemoIdea(i, author, status, created, moved, done));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var votes = new List<DemoVote>();
        foreach (var idea in ideas)
        {
            var topic = topics[idea.Index];
            var german = languages.GetValueOrDefault(idea.Author) == "de";
            var (title, body) = german ? (topic.TitleDe, topic.BodyDe) : (topic.TitleEn, topic.BodyEn);
            var analysis = analyzer.Analyze(title + ". " + body, german ? "de" : "en");
            var answer = DemoIdeaTopics.Answer(idea.Status);
            var last = idea.Done ?? idea.Moved ?? idea.Created;
            var id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO ideas (workspace_id, customer_id, title, body, language, status, moderation, spam_reasons, answer, themes, sentiment, case_id, votes,
                    created_at, updated_at, status_at)
                VALUES (@workspaceId, @author, @title, @body, @language, @status, 'published', NULL, @answer, @themes, @sentiment, NULL, 0, @created, @last, @last)
                RETURNING id
                """,
                new
                {
                    workspaceId,
                    author = idea.Author,
                    title,
                    body,
                    language = german ? "de" : "en",
                    status = idea.Status,
                    answer = idea.Status == IdeaStatus.UnderReview ? null : german ? answer.De : answer.En,
                    themes = IdeaText.Themes(analysis.Themes.Select(t => t.Key)),
                    sentiment = analysis.Sentiment.Score,
                    created = idea.Created,
                    last,
                },
                transaction);
            idea.Id = id;
            await HistoryAsync(connection, transaction, workspaceId, idea);

            // Votes: the author's own, then the crowd's at random times up to today (most after the idea was planned).
            var voters = new HashSet<long> { idea.Author };
            votes.Add(Vote(workspaceId, id, idea.Author, idea.Created));
            var crowd = idea.Status switch
            {
                IdeaStatus.Done or IdeaStatus.Planned => rng.Next(20, 80),
                IdeaStatus.Declined => rng.Next(3, 20),
                _ => rng.Next(5, 40),
            };
            var until = idea.Done ?? asOf;
            for (var v = 0; v < crowd; v++)
            {
                var voter = others[rng.Next(others.Count)].Id;
                if (voters.Add(voter))
                {
                    votes.Add(Vote(workspaceId, id, voter, idea.Created + (long)(rng.NextDouble() * (until - idea.Created))));
                }
            }

            idea.Voters = voters;
        }

        // Each lead user backs four other shipped or planned ideas before they were planned.
        var ahead = ideas.Where(i => i.Moved is not null && i.Status != IdeaStatus.Declined).ToList();
        foreach (var lead in leads)
        {
            foreach (var idea in ahead.Where(i => i.Author != lead).OrderBy(_ => rng.Next()).Take(4))
            {
                if (idea.Voters.Add(lead))
                {
                    votes.Add(Vote(workspaceId, idea.Id, lead, idea.Created + (long)(rng.NextDouble() * (idea.Moved!.Value - idea.Created))));
                }
            }
        }

        if (database.Kind == DatabaseKind.Postgres)
        {
            // One statement over arrays: row by row, the round trips cost seconds on PostgreSQL.
            await connection.ExecuteAsync(
                "INSERT INTO idea_votes (workspace_id, idea_id, customer_id, created_at) SELECT @workspaceId, * FROM unnest(@ideaIds, @customerIds, @ats)",
                new { workspaceId, ideaIds = votes.Select(v => v.IdeaId).ToArray(), customerIds = votes.Select(v => v.CustomerId).ToArray(), ats = votes.Select(v => v.At).ToArray() },
                transaction);
        }
        else
        {
            await connection.ExecuteAsync(
                "INSERT INTO idea_votes (workspace_id, idea_id, customer_id, created_at) VALUES (@WorkspaceId, @IdeaId, @CustomerId, @At)", votes, transaction);
        }
        await connection.ExecuteAsync(
            "UPDATE ideas SET votes = (SELECT count(*) FROM idea_votes v WHERE v.idea_id = ideas.id) WHERE workspace_id = @workspaceId", new { workspaceId }, transaction);
        await CommentsAndSpamAsync(connection, transaction, workspaceId, ideas, others, rng, asOf);
        await transaction.CommitAsync(cancellationToken);
    }

    private static DemoVote Vote(long workspaceId, long ideaId, long customerId, long at) => new(workspaceId, ideaId, customerId, at);

    private sealed record DemoVote(long WorkspaceId, long IdeaId, long CustomerId, long At);

    private static async Task HistoryAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long workspaceId, DemoIdea idea)
    {
        var moves = new List<(string? From, string To, long At)> { (null, IdeaStatus.UnderReview, idea.Created) };
        if (idea.Moved is { } moved)
        {
            moves.Add((IdeaStatus.UnderReview, idea.Status == IdeaStatus.Declined ? IdeaStatus.Declined : IdeaStatus.Planned, moved));
        }

        if (idea.Done is { } done)
        {
            moves.Add((IdeaStatus.Planned, IdeaStatus.Done, done));
        }

        foreach (var (from, to, at) in moves)
        {
            await connection.ExecuteAsync(
                "INSERT INTO idea_status_changes (workspace_id, idea_id, from_status, to_status, answer, actor, at) VALUES (@workspaceId, @id, @from, @to, NULL, @actor, @at)",
                new { workspaceId, id = idea.Id, from, to, actor = from is null ? $"customer:{idea.Author}" : "product team", at }, transaction);
        }
    }

    /// <summary>A few comments by voters and the team, and two spam posts the checks held.</summary>
    private static async Task CommentsAndSpamAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long workspaceId, List<DemoIdea> ideas,
        List<(long Id, string? Language)> others, Random rng, long asOf)
    {
        foreach (var idea in ideas.Where(i => i.Index % 3 == 0))
        {
            var voter = idea.Voters.ElementAt(rng.Next(idea.Voters.Count));
            await connection.ExecuteAsync(
                """
                INSERT INTO idea_comments (workspace_id, idea_id, customer_id, staff, body, moderation, spam_reasons, created_at)
                VALUES (@workspaceId, @id, @voter, NULL, @body, 'published', NULL, @at)
                """,
                new { workspaceId, id = idea.Id, voter, body = idea.Index % 2 == 0 ? "Yes please, I would use this every week." : "Das wäre für mich sehr hilfreich.", at = idea.Created + Day },
                transaction);
        }

        string[] spam = ["BEST PHONE DEALS AT WWW.CHEAP-PHONES-NOW.COM", "Win a free casino bonus: click here"];
        foreach (var text in spam)
        {
            var author = others[rng.Next(others.Count)].Id;
            var reasons = SpamCheck.Reasons(text, new AuthorHistory([], 0));
            await connection.ExecuteAsync(
                """
                INSERT INTO ideas (workspace_id, customer_id, title, body, language, status, moderation, spam_reasons, answer, themes, sentiment, case_id, votes,
                    created_at, updated_at, status_at)
                VALUES (@workspaceId, @author, @text, @text, 'en', 'under_review', 'held', @reasons, NULL, '', NULL, NULL, 0, @at, @at, @at)
                """,
                new { workspaceId, author, text, reasons = IdeaText.Reasons(reasons), at = asOf - (3 * Day) }, transaction);
        }
    }

    private static string? Language(string? traits)
    {
        if (traits is null)
        {
            return null;
        }

        try
        {
            return (JsonNode.Parse(traits) as JsonObject)?["language"]?.GetValue<string>();
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private sealed class DemoIdea(int index, long author, string status, long created, long? moved, long? done)
    {
        public int Index { get; } = index;

        public long Author { get; } = author;

        public string Status { get; } = status;

        public long Created { get; } = created;

        public long? Moved { get; } = moved;

        public long? Done { get; } = done;

        public long Id { get; set; }

        public HashSet<long> Voters { get; set; } = [];
    }

    private sealed class PoolRow
    {
        public long Id { get; set; }

        public string? Traits { get; set; }
    }
}
