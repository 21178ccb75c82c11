namespace OpenCem.Feedback.Ideas;

/// <summary>One customer's part in one idea: they wrote it, or voted for it (and when, relative to its first move ahead).</summary>
public sealed record IdeaContribution(long CustomerId, long IdeaId, string Title, string Status, bool Authored, bool EarlyVote);

/// <summary>Why a customer is a lead user: the ideas they wrote or backed early that were planned or shipped.</summary>
public sealed record LeadUserEvidence(long IdeaId, string Title, string Status, string Role);

public sealed record LeadUser(
    long CustomerId, double Score, int ShippedAuthored, int PlannedAuthored, int ShippedBackedEarly, int PlannedBackedEarly,
    int Ideas, double HitRate, IReadOnlyList<LeadUserEvidence> Evidence);

/// <summary>
/// Lead users, pure: customers whose ideas or early votes tend to become planned or shipped ideas.
/// Score = 3 × shipped ideas written + 1.5 × planned ideas written + 1 × shipped ideas backed early + 0.5 × planned ideas
/// backed early, where "early" is a vote cast before the idea first moved to planned (or done). Only customers with at
/// least <see cref="MinimumSupport"/> such ideas are listed, so one lucky vote makes nobody a lead user; the hit rate
/// (those ideas over all the ideas they wrote or voted for) is shown beside the score.
/// </summary>
public static class LeadUsers
{
    public const int MinimumSupport = 3;

    public static IReadOnlyList<LeadUser> Rank(IEnumerable<IdeaContribution> contributions, int minimumSupport = MinimumSupport, int limit = 50)
    {
        var users = new List<LeadUser>();
        foreach (var group in contributions.GroupBy(c => c.CustomerId))
        {
            int shippedAuthored = 0, plannedAuthored = 0, shippedEarly = 0, plannedEarly = 0;
            var evidence = new List<LeadUserEvidence>();
            var ideas = group.Select(c => c.IdeaId).Distinct().Count();
            // One part per idea: writing it counts over voting for it.
            foreach (var c in group.GroupBy(c => c.IdeaId).OrderBy(g => g.Key).Select(g => g.OrderByDescending(c => c.Authored).ThenByDescending(c => c.EarlyVote).First()))
            {
                var shipped = c.Status == IdeaStatus.Done;
                var planned = c.Status == IdeaStatus.Planned;
                if (!shipped && !planned)
                {
                    continue;
                }

                if (c.Authored)
                {
                    _ = shipped ? shippedAuthored++ : plannedAuthored++;
                    evidence.Add(new(c.IdeaId, c.Title, c.Status, "authored"));
                }
                else if (c.EarlyVote)
                {
                    _ = shipped ? shippedEarly++ : plannedEarly++;
                    evidence.Add(new(c.IdeaId, c.Title, c.Status, "voted early"));
                }
            }

            var support = evidence.Count;
            if (support < minimumSupport)
            {
                continue;
            }

            var score = (3 * shippedAuthored) + (1.5 * plannedAuthored) + shippedEarly + (0.5 * plannedEarly);
            users.Add(new LeadUser(
                group.Key, score, shippedAuthored, plannedAuthored, shippedEarly, plannedEarly, ideas, Math.Round((double)support / ideas, 3), evidence));
        }

        return [.. users.OrderByDescending(u => u.Score).ThenByDescending(u => u.HitRate).ThenBy(u => u.CustomerId).Take(limit)];
    }
}
