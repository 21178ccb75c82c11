namespace OpenCem.Organisation.Initiatives;

/// <summary>The body of <c>POST /initiatives</c>; KPIs and work packages may come inline. <c>startedAt</c> backdates the strategy phase.</summary>
public sealed record InitiativeRequest(
    string? Name, string? Description = null, string? Owner = null, string? Element = null, int? BeforeDays = null, int? LagDays = null,
    DateTimeOffset? StartedAt = null, KpiRequest[]? Kpis = null, PackageRequest[]? Packages = null, string? Actor = null);

/// <summary>The body of <c>PATCH /initiatives/{id}</c>: only the fields given change; an empty string clears an optional text.</summary>
public sealed record InitiativePatchRequest(
    string? Name = null, string? Description = null, string? Owner = null, string? Element = null, int? BeforeDays = null, int? LagDays = null);

/// <summary>A target KPI: <c>touchpoint</c> is shorthand for a one-element <c>touchpoints</c>.</summary>
public sealed record KpiRequest(
    string? Kind, string? Measure = null, long? Survey = null, string? Question = null, string[]? Touchpoints = null, string? Touchpoint = null,
    string? Team = null, string? Direction = null, double? Target = null, string[]? Comparison = null);

/// <summary>A work package of the realisation: <c>due</c> is a date.</summary>
public sealed record PackageRequest(string? Name = null, string? Status = null, DateOnly? Due = null);

/// <summary>The body of <c>POST /initiatives/{id}/transitions</c>; <c>at</c> records a move that happened earlier (not before the last one, not in the future).</summary>
public sealed record InitiativeTransitionRequest(string? To, string? Note = null, string? By = null, DateTimeOffset? At = null);

/// <summary>A validated initiative (without its KPIs and packages).</summary>
public sealed record InitiativeDraft(string Name, string? Description, string? Owner, string? Element, int BeforeDays, int LagDays);

/// <summary>A validated work package.</summary>
public sealed record PackageDraft(string Name, string Status, DateOnly? Due);

public static class PackageStatuses
{
    public static readonly IReadOnlyList<string> All = ["planned", "in-progress", "done", "dropped"];
}

/// <summary>
/// Reads the request bodies into validated drafts, collecting every problem under the field's name (<c>kpis[1].kind</c>).
/// Pure: whether touchpoints and surveys exist is checked at the storage edge (<see cref="KpiMeasurer.CheckAsync"/>).
/// </summary>
public static class InitiativeInput
{
    public const int MaxText = 200;
    public const int MaxDescription = 4000;
    public const int MaxDays = 3650;
    public const int MaxScope = 100;

    public static InitiativeDraft? Read(InitiativeRequest request, IDictionary<string, string[]> errors)
    {
        var name = Text(request.Name, "name", MaxText, errors, required: true);
        var description = Text(request.Description, "description", MaxDescription, errors);
        var owner = Text(request.Owner, "owner", MaxText, errors);
        var element = Element(request.Element, errors);
        var before = Days(request.BeforeDays, "beforeDays", 1, errors) ?? EffectWindows.DefaultBeforeDays;
        var lag = Days(request.LagDays, "lagDays", 0, errors) ?? EffectWindows.DefaultLagDays;
        return errors.Count > 0 ? null : new InitiativeDraft(name!, description, owner, element, before, lag);
    }

    /// <summary>The patched initiative, from the current one and the fields given.</summary>
    public static InitiativeDraft? Patch(InitiativeDraft current, InitiativePatchRequest patch, IDictionary<string, string[]> errors)
    {
        var name = patch.Name is null ? current.Name : Text(patch.Name, "name", MaxText, errors, required: true);
        var description = patch.Description is null ? current.Description : Text(patch.Description, "description", MaxDescription, errors);
        var owner = patch.Owner is null ? current.Owner : Text(patch.Owner, "owner", MaxText, errors);
        var element = patch.Element is null ? current.Element : Element(patch.Element, errors);
        var before = Days(patch.BeforeDays, "beforeDays", 1, errors) ?? current.BeforeDays;
        var lag = Days(patch.LagDays, "lagDays", 0, errors) ?? current.LagDays;
        return errors.Count > 0 ? null : new InitiativeDraft(name!, description, owner, element, before, lag);
    }

    public static PackageDraft? Package(PackageRequest? request, string prefix, IDictionary<string, string[]> errors, PackageDraft? current = null)
    {
        if (request is null)
        {
            errors[prefix.TrimEnd('.')] = ["a work package {name, status?, due?} is required."];
            return null;
        }

        var count = errors.Count;
        var name = request.Name is null && current is not null ? current.Name : Text(request.Name, prefix + "name", MaxText, errors, required: true);
        var status = request.Status ?? current?.Status ?? "planned";
        if (!PackageStatuses.All.Contains(status))
        {
            errors[prefix + "status"] = [$"must be one of {string.Join(", ", PackageStatuses.All)}."];
        }

        return errors.Count > count ? null : new PackageDraft(name!, status, request.Due ?? current?.Due);
    }

    /// <summary>A KPI as asked for; <paramref name="id"/> and the baseline are the caller's.</summary>
    public static InitiativeKpi? Kpi(KpiRequest? request, string prefix, IDictionary<string, string[]> errors, long id = 0)
    {
        if (request is null)
        {
            errors[prefix.TrimEnd('.')] = ["a KPI {kind, ...} is required."];
            return null;
        }

        var count = errors.Count;
        var kind = request.Kind?.Trim().ToLowerInvariant();
        if (kind is null || !KpiKinds.All.Contains(kind))
        {
            errors[prefix + "kind"] = [$"is required: one of {string.Join(", ", KpiKinds.All)}."];
            return null;
        }

        var touchpoints = Keys(request.Touchpoint is null ? request.Touchpoints : [request.Touchpoint, .. request.Touchpoints ?? []], prefix + "touchpoints", errors);
        var team = Text(request.Team, prefix + "team", MaxText, errors);
        var question = Text(request.Question, prefix + "question", MaxText, errors);
        var comparison = request.Comparison is null ? null : Keys(request.Comparison, prefix + "comparison", errors);
        string? measure = null;
        if (kind == KpiKinds.Csat)
        {
            measure = request.Measure?.Trim().ToLowerInvariant() ?? KpiKinds.CsatTopTwoBox;
            if (measure is not (KpiKinds.CsatTopTwoBox or KpiKinds.CsatMean))
            {
                errors[prefix + "measure"] = [$"csat is measured as {KpiKinds.CsatTopTwoBox} (default) or {KpiKinds.CsatMean}."];
            }
        }
        else if (request.Measure is not null)
        {
            errors[prefix + "measure"] = ["only a csat KPI takes a measure (top-two-box or mean)."];
        }

        Forbid(kind is KpiKinds.SlaAttainment && request.Survey is not null, prefix + "survey", "an sla-attainment KPI reads cases, not a survey.", errors);
        Forbid(kind is not KpiKinds.Metric && question is not null, prefix + "question", "only a metric KPI names a question.", errors);
        Forbid(kind is KpiKinds.Metric && (question is null || request.Survey is null), prefix + (question is null ? "question" : "survey"), "a metric KPI needs survey and question (a rating or numeric question).", errors);
        Forbid(kind is not (KpiKinds.SlaAttainment or KpiKinds.Enps) && team is not null, prefix + "team", "only sla-attainment (the case team) and enps (the pulse's team answer) KPIs take a team.", errors);
        Forbid(kind is KpiKinds.Enps && touchpoints.Count > 0, prefix + "touchpoints", "an enps KPI is scoped by team, not touchpoint.", errors);
        Forbid(request.Survey is <= 0, prefix + "survey", "must be a survey id.", errors);
        Forbid(comparison is not null && touchpoints.Count == 0 && team is null, prefix + "comparison", "a comparison needs the KPI scoped by touchpoints (or by team for sla-attainment and enps).", errors);
        Forbid(comparison is not null && comparison.Intersect(touchpoints.Count > 0 ? touchpoints : [team!]).Any(), prefix + "comparison", "must not include the KPI's own scope.", errors);
        Forbid(request.Target is { } target && !double.IsFinite(target), prefix + "target", "must be a number.", errors);
        var direction = request.Direction?.Trim().ToLowerInvariant() ?? KpiDirections.Increase;
        Forbid(!KpiDirections.All.Contains(direction), prefix + "direction", "must be increase or decrease.", errors);
        return errors.Count > count ? null
            : new InitiativeKpi(id, kind, measure, request.Survey, question, touchpoints, team, direction, request.Target, comparison, null);
    }

    private static void Forbid(bool condition, string field, string message, IDictionary<string, string[]> errors)
    {
        if (condition && !errors.ContainsKey(field))
        {
            errors[field] = [message];
        }
    }

    private static List<string> Keys(IEnumerable<string?>? values, string field, IDictionary<string, string[]> errors)
    {
        var keys = (values ?? []).Select(v => v?.Trim() ?? "").ToList();
        if (keys.Count > MaxScope || keys.Any(k => k.Length is 0 or > MaxText))
        {
            errors[field] = [$"up to {MaxScope} keys of 1-{MaxText} characters."];
            return [];
        }

        return [.. keys.Distinct(StringComparer.Ordinal)];
    }

    private static string? Element(string? value, IDictionary<string, string[]> errors)
    {
        var element = value?.Trim();
        if (string.IsNullOrEmpty(element))
        {
            return null;
        }

        if (!CareConceptElements.All.Contains(element))
        {
            errors["element"] = [$"must be a core element of the Customer Care Concept Index: {string.Join(", ", CareConceptElements.All)}."];
        }

        return element;
    }

    private static int? Days(int? value, string field, int minimum, IDictionary<string, string[]> errors)
    {
        if (value is { } days && (days < minimum || days > MaxDays))
        {
            errors[field] = [$"must be a whole number of days from {minimum} to {MaxDays}."];
            return null;
        }

        return value;
    }

    private static string? Text(string? value, string field, int max, IDictionary<string, string[]> errors, bool required = false)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors[field] = ["is required."];
            }

            return null;
        }

        if (text.Length > max)
        {
            errors[field] = [$"must be at most {max} characters."];
            return null;
        }

        return text;
    }
}
