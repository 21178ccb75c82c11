namespace OpenCem.Demo;

/// <summary>
/// A generated survey response, before it is stored. <see cref="Survey"/> is a <see cref="DemoSurveys"/> key; a
/// transactional response names the touchpoint and the message id of the interaction it is about, and the nonce of
/// the invitation it answers.
/// </summary>
/// <param name="UserId">The respondent's tracking userId; null for anonymous employees.</param>
/// <param name="AnswersJson">The answers as the API takes them: question name → value.</param>
public sealed record DemoResponse(
    string Survey,
    string ExternalId,
    string? UserId,
    string Language,
    DateTimeOffset SubmittedAt,
    string AnswersJson,
    string? Touchpoint = null,
    string? InteractionMessageId = null,
    string? InvitationNonce = null);

/// <summary>A past e-mail invitation to a transactional survey: sent, maybe reminded and opened, maybe completed.</summary>
public sealed record DemoInvitation(
    string Survey,
    string UserId,
    string Address,
    string Language,
    string Touchpoint,
    string InteractionMessageId,
    string Nonce,
    DateTimeOffset CreatedAt,
    DateTimeOffset SentAt,
    DateTimeOffset? RemindedAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? CompletedAt)
{
    public const string Sent = "sent";
    public const string Completed = "completed";

    public string Status => CompletedAt is null ? Sent : Completed;

    public int Reminders => RemindedAt is null ? 0 : 1;
}

/// <summary>A review, social post or complaint by a demo customer.</summary>
/// <param name="Source">review, social or complaint.</param>
/// <param name="PropertiesJson">A JSON object: the platform or site, and the fault or billing topic it is about.</param>
public sealed record DemoSignal(
    string Source,
    string ExternalId,
    string UserId,
    string Language,
    DateTimeOffset OccurredAt,
    string Text,
    string? Title,
    double? Rating,
    double? RatingMax,
    string? Touchpoint,
    string? Url,
    string? PropertiesJson);

/// <summary>Everything one demo customer said: survey responses, the invitations behind them, and signals.</summary>
public sealed record DemoCustomerFeedback(
    int Index, string UserId, IReadOnlyList<DemoResponse> Responses, IReadOnlyList<DemoInvitation> Invitations, IReadOnlyList<DemoSignal> Signals);
