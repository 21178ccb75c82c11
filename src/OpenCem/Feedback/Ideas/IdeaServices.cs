using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Feedback.Advocates;
using OpenCem.Feedback.Ideas.Board;

namespace OpenCem.Feedback.Ideas;

public static class IdeaServices
{
    /// <summary>The ideas board's stores, the lead-user and advocate readers.</summary>
    public static IServiceCollection AddIdeas(this IServiceCollection services) => services
        .AddSingleton<IdeaStore>()
        .AddSingleton<IdeaVotes>()
        .AddSingleton<IdeaComments>()
        .AddSingleton<IdeaStatusChanges>()
        .AddSingleton<LeadUserQuery>()
        .AddSingleton<AdvocateQuery>()
        .AddSingleton<AdvocateInvitations>()
        .AddSingleton<BoardLinks>()
        .AddSingleton<BoardVisitors>();

    /// <summary>The public board's rate limits (<see cref="BoardOptions"/> from the <c>Ideas</c> section).</summary>
    public static IServiceCollection AddIdeaBoard(this IServiceCollection services, IConfiguration configuration) =>
        services.AddBoardLimits(BoardOptions.FromConfiguration(configuration));
}
