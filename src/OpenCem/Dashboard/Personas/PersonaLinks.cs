namespace OpenCem.Dashboard.Personas;

/// <summary>Links that filter another dashboard page by a persona: the FilterBar's trait filter on the persona trait. Pure.</summary>
public static class PersonaLinks
{
    public static string Filter(string page, string personaKey) =>
        page + "?trait=" + Uri.EscapeDataString(OpenCem.Customers.Personas.PersonaStore.Trait + ":" + personaKey);
}
