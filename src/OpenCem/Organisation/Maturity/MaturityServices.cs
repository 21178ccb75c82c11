using Microsoft.Extensions.DependencyInjection;

namespace OpenCem.Organisation.Maturity;

public static class MaturityServices
{
    /// <summary>The Customer Care Concept Index: assessments, the data indicators and the index.</summary>
    public static IServiceCollection AddMaturity(this IServiceCollection services)
    {
        services.AddSingleton<AssessmentStore>();
        services.AddSingleton<IndicatorReader>();
        services.AddSingleton<AssessmentIndex>();
        return services;
    }
}
