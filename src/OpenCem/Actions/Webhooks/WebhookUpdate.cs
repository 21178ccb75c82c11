namespace OpenCem.Actions.Webhooks;

/// <summary>
/// A webhook's new settings (PUT replaces them all). <paramref name="RotateWithGrace"/>: make a new secret and let the
/// previous one keep signing for this long (zero: it stops at once); null keeps the secret.
/// </summary>
public sealed record WebhookUpdate(string Url, string? Description, IReadOnlyList<string> Events, bool Enabled, TimeSpan? RotateWithGrace);
