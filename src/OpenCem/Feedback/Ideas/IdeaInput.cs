namespace OpenCem.Feedback.Ideas;

/// <summary>The limits of what a customer or staff member may write, checked before anything is stored.</summary>
public static class IdeaInput
{
    public const int MaxTitle = 150;
    public const int MaxBody = 4000;
    public const int MaxComment = 2000;
    public const int MaxAnswer = 4000;

    public static string? Title(string? title) => string.IsNullOrWhiteSpace(title) ? "is required." : title.Trim().Length is < 3 or > MaxTitle ? $"must have 3 to {MaxTitle} characters." : null;

    public static string? Body(string? body, int max = MaxBody) => string.IsNullOrWhiteSpace(body) ? "is required." : body.Trim().Length > max ? $"must have at most {max} characters." : null;

    public static string? Language(string? language) => language is null or "en" or "de" ? null : "must be en or de.";
}
