using System.Security.Cryptography;
using System.Text;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// What an employee survey's response keeps of its respondent: nothing. Identifiers, profile and interaction sent
/// with it are dropped before it is stored (so it never joins a profile, a customer 360 or an export), and the
/// caller's responseId is kept only as a SHA-256 digest, which still finds a repeated submission.
/// </summary>
public static class AnonymousResponses
{
    public static bool Applies(SurveyDefinition definition) => definition.Audience == SurveyAudience.Employees;

    public static string? ExternalId(string? responseId) =>
        responseId is null ? null : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(responseId)));
}
