using System.Text.Json.Nodes;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Invitations;

/// <summary>Whether asking needs the customer's consent to surveys.</summary>
public enum ConsentRule
{
    /// <summary>Only customers who agreed to surveys are asked (the default).</summary>
    Required,

    /// <summary>Everyone is asked unless they refused surveys.</summary>
    UnlessRefused,

    /// <summary>Consent is not checked (e.g. employee surveys on an internal basis).</summary>
    Ignored,
}

/// <summary>
/// Contact-frequency rules across all surveys of a workspace, so that nobody is over-surveyed: at most
/// <see cref="MaxInvitations"/> invitations per customer per <see cref="PeriodDays"/> days, none while a case is
/// open, none without consent.
/// </summary>
public sealed record ContactRules(int MaxInvitations = 1, int PeriodDays = 30, bool SkipOpenCases = true, ConsentRule Consent = ConsentRule.Required)
{
    public static ContactRules Default { get; } = new();

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (MaxInvitations is < 1 or > 100)
        {
            errors["maxInvitations"] = ["must be from 1 to 100."];
        }

        if (PeriodDays is < 0 or > 365)
        {
            errors["periodDays"] = ["must be from 0 (no limit) to 365."];
        }

        return errors;
    }
}

/// <summary>What is known about a customer when deciding whether to invite them.</summary>
public sealed record ContactFacts(
    bool Known, bool Erased, int InvitationsInPeriod, DateTimeOffset? LastInvitedAt, long? OpenCaseId, JsonObject Consent, string? Address);

/// <summary>The decision, pure: why an invitation must not go out, or null when it may.</summary>
public static class ContactPolicy
{
    private static readonly string[] SurveyConsentKeys = ["surveys", "survey", "feedback", "research"];

    public static string? SuppressionReason(ContactRules rules, ContactFacts facts, string channel, SurveyAudience audience, DateTimeOffset now)
    {
        if (!facts.Known)
        {
            return "unknown customer: no profile matches the given identifier";
        }

        if (facts.Erased)
        {
            return "the customer's data was erased on request";
        }

        if (channel == "email" && string.IsNullOrWhiteSpace(facts.Address))
        {
            return "no e-mail address known for the customer";
        }

        if (audience == SurveyAudience.Customers && rules.Consent != ConsentRule.Ignored)
        {
            var consent = SurveyConsent(facts.Consent);
            if (consent == false)
            {
                return "the customer refused surveys (consent)";
            }

            if (consent is null && rules.Consent == ConsentRule.Required)
            {
                return "no consent to surveys on record";
            }
        }

        if (rules.SkipOpenCases && facts.OpenCaseId is { } caseId)
        {
            return $"case {caseId} is open for the customer";
        }

        if (rules.PeriodDays > 0 && facts.InvitationsInPeriod >= rules.MaxInvitations)
        {
            var days = facts.LastInvitedAt is { } last ? (int)Math.Floor((now - last).TotalDays) : 0;
            return $"contact frequency: already invited {facts.InvitationsInPeriod} time(s) in the last {rules.PeriodDays} days (last {days} day(s) ago; at most {rules.MaxInvitations})";
        }

        return null;
    }

    /// <summary>A consent key without its decoration: <c>consentSurveys</c>, <c>surveys_opt_in</c> and <c>surveys</c> are one.</summary>
    private static string Bare(string name) => name.ToLowerInvariant()
        .Replace("consent", "", StringComparison.Ordinal).Replace("optin", "", StringComparison.Ordinal)
        .Replace("opt_in", "", StringComparison.Ordinal).Replace("opt-in", "", StringComparison.Ordinal)
        .Trim('_', '-', ' ');

    /// <summary>The customer's answer to "may we ask you for feedback": true, false, or null when not recorded.</summary>
    public static bool? SurveyConsent(JsonObject consent)
    {
        foreach (var key in SurveyConsentKeys)
        {
            foreach (var (name, value) in consent)
            {
                if (!string.Equals(Bare(name), key, StringComparison.Ordinal) || value is not JsonValue v)
                {
                    continue;
                }

                if (v.TryGetValue<bool>(out var flag))
                {
                    return flag;
                }

                if (v.TryGetValue<string>(out var text))
                {
                    return text.Trim().ToLowerInvariant() switch
                    {
                        "true" or "yes" or "ja" or "1" or "opt-in" or "granted" => true,
                        "false" or "no" or "nein" or "0" or "opt-out" or "denied" => false,
                        _ => null,
                    };
                }
            }
        }

        return null;
    }
}
