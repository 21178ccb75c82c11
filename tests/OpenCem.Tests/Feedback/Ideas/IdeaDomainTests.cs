using System.Text.Json.Nodes;
using OpenCem.Feedback.Advocates;
using OpenCem.Feedback.Ideas;
using OpenCem.Feedback.Ideas.Board;

namespace OpenCem.Tests.Feedback.Ideas;

/// <summary>The pure parts of the ideas board: statuses, spam checks, lead users, advocates, board tokens, the shipped mail.</summary>
public sealed class IdeaDomainTests
{
    [Theory]
    [InlineData("under_review", "planned", true)]
    [InlineData("under_review", "declined", true)]
    [InlineData("under_review", "done", false)]
    [InlineData("planned", "done", true)]
    [InlineData("done", "planned", false)]
    [InlineData("done", "under_review", false)]
    [InlineData("declined", "under_review", true)]
    [InlineData("declined", "done", false)]
    public void CanMove_FollowsTheLifeOfAnIdea(string from, string to, bool allowed) => Assert.Equal(allowed, IdeaStatus.CanMove(from, to));

    [Fact]
    public void SpamCheck_LinksRepeatsCapitalsBlocklistAndBursts_AreHeld_PlainIdeaIsNot()
    {
        var quiet = new AuthorHistory([], 0);
        Assert.Empty(SpamCheck.Reasons("Please let me pause my TV subscription during the summer holidays.", quiet));
        Assert.Contains("links", SpamCheck.Reasons("Cheap phones at https://example.ru now", quiet));
        Assert.Contains("links", SpamCheck.Reasons("see www.spam-shop.com", quiet));
        Assert.Contains("all-caps", SpamCheck.Reasons("YOUR NETWORK IS TERRIBLE FIX IT NOW", quiet));
        Assert.DoesNotContain("all-caps", SpamCheck.Reasons("Faster DSL for the TV box", quiet));
        Assert.Contains("blocklist: casino", SpamCheck.Reasons("Best Casino bonus for customers", quiet));
        Assert.Contains("repeated", SpamCheck.Reasons("More  shops in Tyrol", new AuthorHistory(["more shops in tyrol"], 1)));
        Assert.Contains("burst", SpamCheck.Reasons("A fine idea", new AuthorHistory(["a", "b", "c"], SpamCheck.BurstLimit)));
    }

    [Fact]
    public void LeadUsers_ScoreShippedAndEarlyVotes_IgnoreLateVotesAndTooLittleSupport()
    {
        IdeaContribution C(long customer, long idea, string status, bool authored, bool early) => new(customer, idea, $"idea {idea}", status, authored, early);
        var ranked = LeadUsers.Rank(
        [
            // Customer 1 wrote one shipped idea and backed two others early: 3 + 1 + 0.5.
            C(1, 10, IdeaStatus.Done, true, false), C(1, 11, IdeaStatus.Done, false, true), C(1, 12, IdeaStatus.Planned, false, true),
            C(1, 13, IdeaStatus.UnderReview, false, true),
            // Customer 2 voted for the same ideas, but only after they were planned: no evidence.
            C(2, 11, IdeaStatus.Done, false, false), C(2, 12, IdeaStatus.Planned, false, false), C(2, 10, IdeaStatus.Done, false, false),
            // Customer 3 has two pieces of evidence, below the minimum support of three.
            C(3, 10, IdeaStatus.Done, false, true), C(3, 11, IdeaStatus.Done, false, true),
            // Customer 4 wrote an idea and voted for it: counted once, as the author.
            C(4, 20, IdeaStatus.Done, true, false), C(4, 20, IdeaStatus.Done, false, true), C(4, 21, IdeaStatus.Done, true, false), C(4, 22, IdeaStatus.Planned, true, false),
        ]);
        Assert.Equal([4L, 1L], ranked.Select(u => u.CustomerId));
        Assert.Equal(7.5, ranked[0].Score);
        Assert.Equal(3, ranked[0].Evidence.Count);
        var one = ranked[1];
        Assert.Equal(4.5, one.Score);
        Assert.Equal(0.75, one.HitRate);
        Assert.Equal(["authored", "voted early", "voted early"], one.Evidence.Select(e => e.Role));
    }

    [Fact]
    public void AdvocateScore_WeighsReferralsReviewsPromoters_AndDropsCurrentDetractors()
    {
        var advocate = AdvocateScore.Of(new AdvocacyFacts(1, 2, DateTimeOffset.UnixEpoch, 1, 3, 10, DateTimeOffset.UnixEpoch))!;
        Assert.Equal(11, advocate.Score);
        Assert.Equal(3, advocate.Reasons.Count);
        Assert.Contains("2 referral(s) sent", advocate.Reasons[0]);
        Assert.Null(AdvocateScore.Of(new AdvocacyFacts(2, 5, null, 0, 0, 4, DateTimeOffset.UnixEpoch)));
        Assert.Null(AdvocateScore.Of(new AdvocacyFacts(3, 0, null, 0, 2, 9, DateTimeOffset.UnixEpoch)));
    }

    [Fact]
    public void BoardTokens_OnlyGenuineUnexpiredTokensIdentify()
    {
        var key = new byte[32];
        key[0] = 7;
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var token = BoardTokens.Create(key, new BoardIdentity(3, 42, now.AddDays(1)));
        Assert.Equal(new BoardIdentity(3, 42, now.AddDays(1)), BoardTokens.Verify(token, key, now));
        Assert.Null(BoardTokens.Verify(token, key, now.AddDays(2)));
        Assert.Null(BoardTokens.Verify(token, new byte[32], now));
        var altered = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];
        Assert.Null(BoardTokens.Verify(altered, key, now));
        Assert.Null(BoardTokens.Verify("not-a-token", key, now));
        Assert.Null(BoardTokens.Verify(null, key, now));
    }

    [Fact]
    public void ShippedIdeaMail_SkipsErasedUnreachableAndRefusing_SpeaksTheCustomersLanguage()
    {
        Assert.Null(ShippedIdeaMail.SkipReason(new IdeaRecipient(1, false, "a@example.com", "de", [])));
        Assert.Contains("erased", ShippedIdeaMail.SkipReason(new IdeaRecipient(1, true, "a@example.com", null, [])));
        Assert.Contains("no e-mail", ShippedIdeaMail.SkipReason(new IdeaRecipient(1, false, null, null, [])));
        Assert.Contains("refused", ShippedIdeaMail.SkipReason(new IdeaRecipient(1, false, "a@example.com", null, new JsonObject { ["consentEmail"] = false })));
        Assert.Null(ShippedIdeaMail.SkipReason(new IdeaRecipient(1, false, "a@example.com", null, new JsonObject { ["surveys"] = false })));
        var (subject, body) = ShippedIdeaMail.Compose("de-AT", "Pausieren im Sommer", "Ab Juni möglich.", "https://x/ideas/1");
        Assert.Equal("Umgesetzt: Pausieren im Sommer", subject);
        Assert.Contains("Ab Juni möglich.", body);
        Assert.StartsWith("Shipped:", ShippedIdeaMail.Compose(null, "Pause", null, "u").Subject);
    }
}
