using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenCem.Customers;

/// <summary>Where an identifier of a profile was seen: a record of a source, or the tracking API's events.</summary>
public sealed record IdentifierOrigin(string Source, string? Record);

public sealed record ProfileIdentifier(string Type, string Value, IReadOnlyList<IdentifierOrigin> Origins);

public sealed record ProfileRecord(string Source, string Id, DateTimeOffset UpdatedAt, DateTimeOffset ReceivedAt);

public sealed record ProfilePreferences(string? Language, string? PreferredChannel);

public sealed record ProfileLifecycle(
    string Stage, DateTimeOffset? FirstPurchaseAt, DateTimeOffset? LastPurchaseAt, DateTimeOffset? LastActivityAt, DateTimeOffset? LastCancellationAt);

public sealed record ProfileValue(long Interactions, double Revenue, double Cost, DateTimeOffset? FirstSeenAt, DateTimeOffset? LastSeenAt);

/// <summary>A score the customer gave, and when.</summary>
public sealed record LatestScore(int Value, long SurveyId, DateTimeOffset At);

/// <summary>The customer's voice: latest NPS, CSAT and CES, how many responses and signals.</summary>
public sealed record ProfileScores(LatestScore? Nps, LatestScore? Csat, LatestScore? Ces, long Responses, long Signals);

/// <summary>
/// What the customer is worth and how likely they are to stay: CLV, probability alive and expected purchases from the
/// latest CLV fit, churn risk and its top reasons from the latest churn model (null until each has run).
/// </summary>
public sealed record ProfilePrediction(
    double? Clv, double? ProbabilityAlive, double? ExpectedPurchases, double? ChurnRisk, long? ChurnModelId, IReadOnlyList<Value.Churn.ChurnReason> ChurnReasons);

/// <summary>The 360° profile: who the customer is, from where, and what happened.</summary>
public sealed record CustomerProfile(
    long Id,
    string? Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ProfileIdentifier> Identities,
    IReadOnlyList<ProfileRecord> Records,
    JsonObject Traits,
    IReadOnlyDictionary<string, TraitOrigin> TraitSources,
    ProfilePreferences Preferences,
    JsonObject Consent,
    ProfileLifecycle Lifecycle,
    string? LoyaltyState,
    ProfileValue Value,
    ProfileScores Scores,
    IReadOnlyList<long> MergedProfiles,
    ProfilePrediction? Prediction = null);

public sealed record CustomerMatch(long Id, string? Name, string? Email, string? Phone, string? CustomerNumber, string MatchedOn);

public sealed record MergeLink(string RecordA, string RecordB, string IdentifierType, string IdentifierValue, DateTimeOffset LinkedAt);

public sealed record KeptApart(string RecordA, string RecordB, string IdentifierType, string IdentifierValue, string Reason);

public sealed record SharedIdentifier(string Type, string Value, int Records);

public sealed record MergedProfile(long Id, DateTimeOffset MergedAt);

/// <summary>Why a profile holds the records it holds.</summary>
public sealed record MergeExplanation(
    long CustomerId,
    IReadOnlyList<ProfileRecord> Records,
    IReadOnlyList<MergeLink> Links,
    IReadOnlyList<KeptApart> KeptApart,
    IReadOnlyList<SharedIdentifier> SharedIdentifiers,
    IReadOnlyList<MergedProfile> MergedProfiles);

/// <summary>Reads consent and preferences from the traits sources commonly use.</summary>
internal static class ProfileTraitsReader
{
    public static ProfilePreferences Preferences(JsonObject traits) =>
        new(Text(traits, "language", "preferredLanguage", "locale"), Text(traits, "preferredChannel", "channelPreference"));

    /// <summary>A <c>consent</c> object as given, plus flat traits named <c>consent…</c> or <c>…OptIn</c>.</summary>
    public static JsonObject Consent(JsonObject traits)
    {
        var consent = traits["consent"] is JsonObject given ? (JsonObject)given.DeepClone() : [];
        foreach (var (name, value) in traits)
        {
            if (name != "consent" && value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False or JsonValueKind.String
                && (name.StartsWith("consent", StringComparison.OrdinalIgnoreCase) || name.EndsWith("OptIn", StringComparison.OrdinalIgnoreCase)))
            {
                consent[name] = v.DeepClone();
            }
        }

        return consent;
    }

    public static string? Text(JsonObject traits, params string[] names)
    {
        foreach (var name in names)
        {
            if (traits[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return null;
    }
}
