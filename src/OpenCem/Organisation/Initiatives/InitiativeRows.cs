using System.Text.Json;

namespace OpenCem.Organisation.Initiatives;

/// <summary>Rows as Dapper reads them (setters, long widths: SQLite and PostgreSQL return different integer types).</summary>
internal sealed class InitiativeRow
{
    public const string Columns = "id AS Id, name AS Name, description AS Description, owner AS Owner, element AS Element, phase AS Phase, "
        + "phase_since AS PhaseSince, before_days AS BeforeDays, lag_days AS LagDays, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public string? Owner { get; set; }

    public string? Element { get; set; }

    public string Phase { get; set; } = "";

    public long PhaseSince { get; set; }

    public long BeforeDays { get; set; }

    public long LagDays { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}

internal sealed class PhaseRow
{
    public long InitiativeId { get; set; }

    public string? FromPhase { get; set; }

    public string ToPhase { get; set; } = "";

    public long At { get; set; }

    public string Actor { get; set; } = "";

    public string? Note { get; set; }

    public PhaseChange ToChange() => new(FromPhase, ToPhase, Time(At), Actor, Note);

    internal static DateTimeOffset Time(long at) => DateTimeOffset.FromUnixTimeMilliseconds(at);
}

internal sealed class PackageRow
{
    public const string Columns = "id AS Id, initiative_id AS InitiativeId, name AS Name, status AS Status, due_at AS DueAt, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public long Id { get; set; }

    public long InitiativeId { get; set; }

    public string Name { get; set; } = "";

    public string Status { get; set; } = "";

    public long? DueAt { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public WorkPackage ToPackage() => new(
        Id, Name, Status, DueAt is { } due ? DateOnly.FromDateTime(PhaseRow.Time(due).UtcDateTime) : null, PhaseRow.Time(CreatedAt), PhaseRow.Time(UpdatedAt));

    public static long? DueOf(DateOnly? due) => due is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : null;
}

internal sealed class KpiRow
{
    public const string Columns = "id AS Id, initiative_id AS InitiativeId, kind AS Kind, measure AS Measure, survey_id AS SurveyId, question AS Question, "
        + "touchpoints AS Touchpoints, team AS Team, direction AS Direction, target AS Target, comparison AS Comparison, baseline_value AS BaselineValue, "
        + "baseline_n AS BaselineN, baseline_from AS BaselineFrom, baseline_to AS BaselineTo, baseline_at AS BaselineAt";

    public long Id { get; set; }

    public long InitiativeId { get; set; }

    public string Kind { get; set; } = "";

    public string? Measure { get; set; }

    public long? SurveyId { get; set; }

    public string? Question { get; set; }

    public string Touchpoints { get; set; } = "[]";

    public string? Team { get; set; }

    public string Direction { get; set; } = "";

    public double? Target { get; set; }

    public string? Comparison { get; set; }

    public double? BaselineValue { get; set; }

    public long? BaselineN { get; set; }

    public long? BaselineFrom { get; set; }

    public long? BaselineTo { get; set; }

    public long? BaselineAt { get; set; }

    public InitiativeKpi ToKpi() => new(
        Id, Kind, Measure, SurveyId, Question, JsonSerializer.Deserialize<List<string>>(Touchpoints) ?? [], Team, Direction, Target,
        Comparison is null ? null : JsonSerializer.Deserialize<List<string>>(Comparison),
        BaselineAt is { } at ? new KpiBaseline(BaselineValue, BaselineN ?? 0, PhaseRow.Time(BaselineFrom ?? 0), PhaseRow.Time(BaselineTo ?? 0), PhaseRow.Time(at)) : null);

    /// <summary>The parameters of an insert or update of <paramref name="kpi"/>.</summary>
    public static object Parameters(long workspaceId, long initiativeId, InitiativeKpi kpi, long now) => new
    {
        workspaceId,
        initiativeId,
        id = kpi.Id,
        kind = kpi.Kind,
        measure = kpi.Measure,
        survey = kpi.SurveyId,
        question = kpi.Question,
        touchpoints = JsonSerializer.Serialize(kpi.Touchpoints),
        team = kpi.Team,
        direction = kpi.Direction,
        target = kpi.Target,
        comparison = kpi.Comparison is null ? null : JsonSerializer.Serialize(kpi.Comparison),
        now,
    };
}
