using System.Globalization;
using System.Text.Json;

namespace OpenCem.Organisation.Maturity;

/// <summary>
/// Reads the JSON bodies of the assessments API by hand, so every problem comes back named by its field
/// (<c>ratings[2].rating</c>, <c>targets.people</c>) instead of a binder's 400.
/// </summary>
public static class AssessmentRequests
{
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 10_000;
    public const int MaxRatingsPerBatch = 2_000;

    public static NewAssessment? ReadNew(JsonElement body, MaturityCatalogue catalogue, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (!IsObject(body, errors))
        {
            return null;
        }

        var name = Text(body, "name", MaxNameLength, errors, required: true);
        var at = Time(body, "assessedAt", errors) ?? now;
        var status = Status(body, errors) ?? AssessmentStatuses.Draft;
        var notes = Text(body, "notes", MaxTextLength, errors);
        var assessors = Assessors(body, errors);
        var targets = body.TryGetProperty("targets", out var t) && t.ValueKind != JsonValueKind.Null ? ReadTargets(t, catalogue, errors, "targets") : null;
        return errors.Count == 0 ? new NewAssessment(name!, at, status, notes, assessors, targets) : null;
    }

    public static AssessmentChange? ReadChange(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!IsObject(body, errors))
        {
            return null;
        }

        var name = body.TryGetProperty("name", out _) ? Text(body, "name", MaxNameLength, errors, required: true) : null;
        var at = Time(body, "assessedAt", errors);
        var status = Status(body, errors);
        var notes = Text(body, "notes", MaxTextLength, errors);
        var clear = body.TryGetProperty("notes", out var n) && n.ValueKind == JsonValueKind.Null;
        var assessors = Assessors(body, errors);
        return errors.Count == 0 ? new AssessmentChange(name, at, status, notes, clear, assessors) : null;
    }

    /// <summary>A batch of ratings: a JSON array, or an object with a <c>ratings</c> array.</summary>
    public static IReadOnlyList<AssessmentRating>? ReadRatings(JsonElement body, MaturityCatalogue catalogue, Dictionary<string, string[]> errors)
    {
        var list = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("ratings", out var inner) ? inner : body;
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0 || list.GetArrayLength() > MaxRatingsPerBatch)
        {
            errors["ratings"] = [$"must be an array of 1 to {MaxRatingsPerBatch} ratings {{criterion, assessor, rating: 1-5, evidence?}}."];
            return null;
        }

        var ratings = new List<AssessmentRating>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = $"ratings[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[at] = ["must be an object {criterion, assessor, rating, evidence?}."];
                continue;
            }

            var criterion = Text(item, "criterion", MaxNameLength, errors, required: true, path: $"{at}.criterion");
            if (criterion is not null && catalogue.Criterion(criterion) is null)
            {
                errors[$"{at}.criterion"] = [$"no criterion has the key \"{criterion}\" (GET /api/v1/assessments/criteria lists them)."];
            }

            var assessor = Text(item, "assessor", MaxNameLength, errors, required: true, path: $"{at}.assessor");
            int rating = 0;
            if (!item.TryGetProperty("rating", out var r) || r.ValueKind != JsonValueKind.Number || !r.TryGetInt32(out rating) || rating is < 1 or > 5)
            {
                errors[$"{at}.rating"] = ["must be a whole number from 1 to 5."];
            }

            var evidence = Text(item, "evidence", MaxTextLength, errors, path: $"{at}.evidence");
            if (criterion is not null && assessor is not null)
            {
                ratings.Add(new AssessmentRating(criterion, assessor, rating, evidence));
            }
        }

        return errors.Count == 0 ? ratings : null;
    }

    /// <summary>Targets per element (1–5): an object keyed by element, or an object with a <c>targets</c> object.</summary>
    public static IReadOnlyDictionary<string, double>? ReadTargets(JsonElement body, MaturityCatalogue catalogue, Dictionary<string, string[]> errors, string path = "targets")
    {
        var map = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("targets", out var inner) ? inner : body;
        if (map.ValueKind != JsonValueKind.Object)
        {
            errors[path] = ["must be an object of element keys to targets from 1 to 5, e.g. {\"service-processes\": 4}."];
            return null;
        }

        var targets = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in map.EnumerateObject())
        {
            if (catalogue.Element(property.Name) is null)
            {
                errors[$"{path}.{property.Name}"] = [$"is no element; the elements are {string.Join(", ", catalogue.Elements.Select(e => e.Key))}."];
            }
            else if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var target) || target is < 1 or > 5)
            {
                errors[$"{path}.{property.Name}"] = ["must be a number from 1 to 5."];
            }
            else
            {
                targets[property.Name] = target;
            }
        }

        return errors.Count == 0 ? targets : null;
    }

    /// <summary>An ISO 8601 date or time; a date (or a time without offset) is taken as UTC.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static bool IsObject(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        errors["body"] = ["must be a JSON object."];
        return false;
    }

    private static string? Text(JsonElement body, string name, int maxLength, Dictionary<string, string[]> errors, bool required = false, string? path = null)
    {
        path ??= name;
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[path] = ["is required."];
            }

            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (text is null || (required && text.Length == 0) || text.Length > maxLength)
        {
            errors[path] = [required ? $"must be a non-empty text of at most {maxLength} characters." : $"must be a text of at most {maxLength} characters."];
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    private static DateTimeOffset? Time(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && TryParseTime(value.GetString(), out var time) && time.Year is >= 1970 and <= 9999)
        {
            return time;
        }

        errors[name] = ["must be an ISO 8601 date or time, e.g. 2026-11-01 or 2026-11-01T09:00:00Z."];
        return null;
    }

    private static string? Status(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("status", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && AssessmentStatuses.All.Contains(value.GetString()))
        {
            return value.GetString();
        }

        errors["status"] = [$"must be one of {string.Join(", ", AssessmentStatuses.All)}."];
        return null;
    }

    /// <summary>Assessors as names or <c>{name, role}</c> objects.</summary>
    private static IReadOnlyList<Assessor>? Assessors(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("assessors", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            errors["assessors"] = ["must be an array of names or {name, role} objects."];
            return null;
        }

        var assessors = new List<Assessor>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"assessors[{i++}]";
            if (item.ValueKind == JsonValueKind.String && item.GetString()!.Trim() is { Length: > 0 and <= MaxNameLength } name)
            {
                assessors.Add(new Assessor(name));
            }
            else if (item.ValueKind == JsonValueKind.Object && Text(item, "name", MaxNameLength, errors, required: true, path: $"{path}.name") is { } named)
            {
                assessors.Add(new Assessor(named, Text(item, "role", MaxNameLength, errors, path: $"{path}.role")));
            }
            else if (item.ValueKind != JsonValueKind.Object)
            {
                errors[path] = [$"must be a name of 1 to {MaxNameLength} characters or a {{name, role}} object."];
            }
        }

        return assessors;
    }
}
