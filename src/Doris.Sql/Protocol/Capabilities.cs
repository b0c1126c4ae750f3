namespace Doris.Sql.Protocol;

/// <summary>The capability flags this client and the simulated server use.</summary>
[Flags]
public enum Capabilities : uint
{
    None = 0,
    LongPassword = 0x1,
    FoundRows = 0x2,
    LongFlag = 0x4,
    ConnectWithDb = 0x8,
    Protocol41 = 0x200,
    Ssl = 0x800,
    Transactions = 0x2000,
    SecureConnection = 0x8000,
    MultiResults = 0x20000,
    PluginAuth = 0x80000,
}
