namespace DataAccessAudit.BulkData;

/// <summary>What a bulk threshold counts: distinct persons, or (for precise geolocation) distinct devices.</summary>
public enum BulkCountUnit
{
    /// <summary>Distinct U.S. persons.</summary>
    Persons,

    /// <summary>Distinct U.S. devices (28 CFR 202.205(c), precise geolocation data).</summary>
    Devices,
}
