using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenCem.Hosting;

namespace OpenCem.Operations.Jobs;

/// <summary>
/// How long a process's hold on a background job lasts without renewal (<c>Jobs:LeaseSeconds</c>, default 15): the
/// time another server process waits before it takes over the jobs of one that died.
/// </summary>
public sealed record JobLeaseOptions(TimeSpan Term)
{
    public static readonly TimeSpan DefaultTerm = TimeSpan.FromSeconds(15);

    public JobLeaseOptions()
        : this(DefaultTerm)
    {
    }

    /// <summary>Renewed three times per term, so one missed renewal never loses a lease.</summary>
    public TimeSpan RenewEvery => Term / 3;

    public static JobLeaseOptions FromConfiguration(IConfiguration configuration)
    {
        var seconds = configuration["Jobs:LeaseSeconds"];
        if (seconds is null)
        {
            return new JobLeaseOptions();
        }

        if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 3600)
        {
            throw new ServerConfigurationException($"Jobs:LeaseSeconds must be a number of seconds from 1 to 3600, not '{seconds}'.");
        }

        return new JobLeaseOptions(TimeSpan.FromSeconds(value));
    }
}
