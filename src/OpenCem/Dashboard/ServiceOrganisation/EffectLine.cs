using OpenCem.Organisation.Initiatives;

namespace OpenCem.Dashboard.ServiceOrganisation;

/// <summary>A row of an effect table: one KPI's measured effect and the initiative it belongs to.</summary>
public sealed record EffectLine(long InitiativeId, string Initiative, KpiEffect Effect);
