using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Dashboard.Surveys;
using OpenCem.Dashboard.Text;
using OpenCem.Dashboard.Value;
using OpenCem.Feedback.Invitations;
using OpenCem.Text.Insights;
using OpenCem.Value.Equity;

namespace OpenCem.Dashboard;

/// <summary>The Text, Value and Surveys pages: their reports and the services behind them, and the survey preview.</summary>
public static class VoicePages
{
    public static IServiceCollection AddVoicePages(this IServiceCollection services)
    {
        services.AddSingleton<SentimentTrend>();
        services.AddSingleton<CommentSearch>();
        services.AddSingleton<TextReport>();
        services.AddSingleton<CustomerValueReport>();
        services.AddSingleton<ValueReport>();
        services.AddSingleton<InvitationStatistics>();
        services.AddSingleton<SurveysReport>();
        return services;
    }

    public static WebApplication MapVoicePages(this WebApplication app)
    {
        SurveyPreview.Map(app);
        return app;
    }
}
