using Microsoft.Extensions.DependencyInjection;

namespace OpenCem.Organisation.Initiatives;

public static class InitiativeServices
{
    /// <summary>The initiative store, the KPI measurer and the effect reader.</summary>
    public static IServiceCollection AddInitiatives(this IServiceCollection services) => services
        .AddSingleton<InitiativeStore>()
        .AddSingleton<KpiMeasurer>()
        .AddSingleton<InitiativeEffects>();
}
