using Microsoft.Extensions.DependencyInjection;

namespace OpenCem.Actions.Webhooks;

/// <summary>Webhooks in the server: subscriptions, deliveries, and the worker that fans out and sends (unless <c>Webhooks:Worker</c> is false).</summary>
public static class WebhookServices
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, WebhookOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<WebhookWake>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookUrls>();
        services.AddSingleton<WebhookDeliveries>();
        services.AddSingleton<WebhookFanOut>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookWorker>();
        if (options.Worker)
        {
            services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());
        }

        return services;
    }
}
