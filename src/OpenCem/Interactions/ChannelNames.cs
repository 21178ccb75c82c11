namespace OpenCem.Interactions;

/// <summary>The channels' display names in English and German (<see cref="Channels.Known"/>); an unknown key names itself.</summary>
public static class ChannelNames
{
    private static readonly Dictionary<string, (string En, string De)> Names = new(StringComparer.Ordinal)
    {
        ["web"] = ("Web", "Web"),
        ["app"] = ("App", "App"),
        ["email"] = ("E-mail", "E-Mail"),
        ["phone"] = ("Phone", "Telefon"),
        ["shop"] = ("Shop", "Shop"),
        ["chat"] = ("Chat", "Chat"),
        ["social"] = ("Social media", "Soziale Medien"),
        ["field"] = ("On site", "Vor Ort"),
        ["mail"] = ("Letter", "Brief"),
        ["kiosk"] = ("Kiosk", "Kiosk"),
        ["sms"] = ("SMS", "SMS"),
        ["messaging"] = ("Messaging", "Messenger"),
        ["video"] = ("Video", "Video"),
        ["partner"] = ("Partner", "Partner"),
        ["other"] = ("Other", "Sonstige"),
    };

    public static string Of(string key, bool german) => Names.TryGetValue(key, out var name) ? (german ? name.De : name.En) : key;
}
