namespace DataAccessAudit.Policy;

/// <summary>A <see cref="BulkData.SensitiveDataKind"/> as data, inside <see cref="BulkDataOptions"/>.</summary>
public sealed class SensitiveDataKindOptions
{
    /// <summary>Gets or sets the kind's name, such as <c>personal-health</c>. Required.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the threshold: the largest count that is not bulk (crossed at one more); zero for any amount. Required.</summary>
    public long? Threshold { get; set; }

    /// <summary>Gets or sets what is counted: <c>persons</c> (the default when absent) or <c>devices</c>.</summary>
    public string? Unit { get; set; }

    /// <summary>
    /// Gets or sets the name of a broader kind this one is part of, whose figure counts its persons too, such as
    /// <c>human-omic</c> for <c>human-genomic</c> (genomic data is 'omic data, 28 CFR 202.224(a)(1)); null for none.
    /// </summary>
    public string? PartOf { get; set; }
}
