namespace OpenCem.Hosting;

/// <summary>The server's configuration has a value it cannot use; the message names the key. Thrown before start.</summary>
public sealed class ServerConfigurationException : Exception
{
    public ServerConfigurationException(string message)
        : base(message)
    {
    }

    public ServerConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
