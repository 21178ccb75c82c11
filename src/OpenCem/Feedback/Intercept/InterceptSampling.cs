using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OpenCem.Feedback.Intercept;

/// <summary>
/// Which visitors a survey's intercept samples, deterministically: a hash of the survey and the visitor id places
/// each visitor at a fixed point in [0, 1), and the sample is everyone below the sampling rate. A visitor therefore
/// gets the same answer on every page and every server, raising the rate only adds visitors, and each survey
/// samples a different share of the visitors.
/// </summary>
public static class InterceptSampling
{
    /// <summary>The visitor's fixed point in [0, 1) for this survey.</summary>
    public static double Position(long surveyId, string visitorId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{surveyId}:{visitorId}"), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) / (double)(1UL << 53);
    }

    public static bool Selects(double samplingRate, long surveyId, string visitorId) =>
        samplingRate >= 1 || Position(surveyId, visitorId) < samplingRate;
}
